import { describe, expect, it } from 'vitest';
import { readDescriptionHints } from '../scripts/description-hints.mjs';

describe('readDescriptionHints reads what AnyAPI descriptions plainly state', () => {
  it.each([
    // [description, JSON type, expected]: the texts are AnyAPI's own, from anyapi/*.yaml.
    ['CFG(无分类器引导)量表用于衡量您希望模型在寻找相关图像时与提示的贴近程度。默认值:3.5  范围值1-20', 'number', { minimum: 1, maximum: 20, default: 3.5 }],
    ['CFG（无分类器引导）量表。默认值：3.5  范围值1-20', 'number', { minimum: 1, maximum: 20, default: 3.5 }],
    ['生成的图像数量。默认值:1   范围值1-4', 'integer', { minimum: 1, maximum: 4, default: 1 }],
    ['生成图片数量，范围值：1-4', 'integer', { minimum: 1, maximum: 4 }],
    ['范围值：1-20', 'number', { minimum: 1, maximum: 20 }],
    ['生成图像的安全容差等级。1 表示最严格,5 表示最宽松。默认值:"2"', 'string', { enum: ['1', '2', '3', '4', '5'], default: '2' }],
    ['生成图像的安全容差等级。1 表示最严格,6 表示最宽松。默认值:"2"', 'string', { enum: ['1', '2', '3', '4', '5', '6'], default: '2' }],
    ['等级，1 表示最严格，3 表示最宽松', 'integer', { minimum: 1, maximum: 3 }],
    ['生成图片的格式。默认值:"jpeg"  支持default、png、jpeg', 'string', { enum: ['default', 'png', 'jpeg'], default: 'jpeg' }],
    ['图片输出格式："jpeg"，"png"', 'string', { enum: ['jpeg', 'png'] }],
    ['图片尺寸，枚举值：21:9、16:9、4:3、3:2、1:1、2:3、3:4、9:16、9:21', 'string', { enum: ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'] }],
    [
      '生成图像的宽高比。默认值："1:1"   支持：21：9、16：9、4：3、3：2、1：1、2：3、3：4、9：16、9：21',
      'string',
      { enum: ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '9:21'], default: '1:1' },
    ],
    ['生成图像的安全容差等级。1 表示最严格，5 表示最宽松。默认值："2"', 'string', { enum: ['1', '2', '3', '4', '5'], default: '2' }],
    ['默认值：true', 'boolean', { default: true }],
    ['默认值：-1  范围值：-1-2147483647', 'integer', { minimum: -1, maximum: 2147483647, default: -1 }],
  ])('%s (%s)', (description, type, expected) => {
    expect(readDescriptionHints(description, type)).toEqual(expected);
  });

  it('gives up quietly on text that states nothing it can read', () => {
    expect(readDescriptionHints('提示词', 'string')).toEqual({});
    expect(readDescriptionHints('安全容差', 'string')).toEqual({});
    expect(readDescriptionHints('在此处拖放文件,或提供 base64 编码的数据 URL接受的文件类型:jpg、jpeg、png、webp、gif、avif', 'string')).toEqual({});
    expect(readDescriptionHints('支持多种风格，包括写实、卡通', 'string')).toEqual({});
    expect(readDescriptionHints(undefined, 'string')).toEqual({});
    expect(readDescriptionHints('', 'number')).toEqual({});
  });

  it('reads only what fits the field type', () => {
    // A range on a text, choices on a number, a fractional default on a whole number: ignored.
    expect(readDescriptionHints('范围值1-20', 'string')).toEqual({});
    expect(readDescriptionHints('"a"，"b"', 'integer')).toEqual({});
    expect(readDescriptionHints('默认值：2.5  范围值1-4', 'integer')).toEqual({ minimum: 1, maximum: 4 });
    expect(readDescriptionHints('范围值1.5-4', 'integer')).toEqual({});
    expect(readDescriptionHints('默认值："3"', 'number')).toEqual({});
    expect(readDescriptionHints('默认值：yes', 'boolean')).toEqual({});
    expect(readDescriptionHints('范围值20-1', 'number')).toEqual({});
  });

  it('drops a default that contradicts the range or the choices read beside it', () => {
    expect(readDescriptionHints('默认值：30  范围值1-20', 'number')).toEqual({ minimum: 1, maximum: 20 });
    expect(readDescriptionHints('默认值："gif"  支持png、jpeg', 'string')).toEqual({ enum: ['png', 'jpeg'] });
  });
});
