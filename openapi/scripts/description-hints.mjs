// Reads what an AnyAPI field description plainly states about the field's values: a range
// (`范围值：1-20`, `范围值1-4`), a default (`默认值：3.5`, `默认值："jpeg"`) and choices
// (`"jpeg"，"png"`, `支持default、png、jpeg`, `枚举值：21:9、16:9`, full-width colons included),
// and a scale given by its ends (`1 表示最严格,5 表示最宽松`: the whole numbers from 1 to 5).
// It gives up quietly: a description it cannot read, or a value that does not fit the field's
// JSON type, adds nothing. The completion (kontext.yaml) wins over whatever is read here.

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const RANGE = new RegExp(String.raw`范围(?:值)?\s*[:：]?\s*(${NUMBER})\s*(?:-|~|～|到|至)\s*(${NUMBER})`);
const DEFAULT = /默认(?:值)?\s*[:：]?\s*(?:"([^"]*)"|“([^”]*)”|'([^']*)'|([^\s,，、。;；]+))/;
// A keyword that introduces a list of choices, then the list itself.
const CHOICES_AFTER_KEYWORD = /(?:支持|枚举值|可选值|可选|取值)\s*[:：]?\s*([^\s。;；]+(?:\s*[、,，/|]\s*[^\s、,，/|。;；]+)+)/;
// Two or more quoted values in a row: `"jpeg"，"png"`.
const QUOTED_LIST = /(?:"[^"]+"|“[^”]+”)(?:\s*[、,，/|]\s*(?:"[^"]+"|“[^”]+”))+/;
// A scale named by its two ends: `1 表示最严格,5 表示最宽松` ("1 is the strictest, 5 the most permissive").
const SCALE = /(\d+)\s*表示最[^\d,，。;；]*[,，;；]\s*(\d+)\s*表示最/;
// A choice is a plain token (letters, digits, `_ . : + -`); anything else means we misread.
const CHOICE_TOKEN = /^[A-Za-z0-9_.:+-]+$/;

/** Full-width punctuation in a value means the same as its ASCII form (`21：9` is `21:9`). */
const normaliseValue = (text) => text.replaceAll('：', ':').trim();

const unquote = (text) => text.replace(/^["“']|["”']$/g, '');

function readRange(description, type) {
  if (type !== 'number' && type !== 'integer') return {};
  const match = RANGE.exec(description);
  if (!match) return {};
  const minimum = Number(match[1]);
  const maximum = Number(match[2]);
  if (!(minimum <= maximum)) return {};
  if (type === 'integer' && !(Number.isInteger(minimum) && Number.isInteger(maximum))) return {};
  return { minimum, maximum };
}

function readChoices(description, type) {
  if (type !== 'string') return {};
  const list = CHOICES_AFTER_KEYWORD.exec(description)?.[1] ?? QUOTED_LIST.exec(description)?.[0];
  if (!list) return {};
  const choices = list
    .split(/[、,，/|]/)
    .map((item) => normaliseValue(unquote(item.trim())))
    .filter(Boolean);
  if (choices.length < 2 || !choices.every((choice) => CHOICE_TOKEN.test(choice))) return {};
  return { enum: [...new Set(choices)] };
}

/** A scale's whole numbers: choices for a string field ("1".."5"), a range for a number. */
function readScale(description, type) {
  const match = SCALE.exec(description);
  if (!match) return {};
  const [low, high] = [Number(match[1]), Number(match[2])].sort((a, b) => a - b);
  if (high - low > 20) return {};
  if (type === 'string') return { enum: Array.from({ length: high - low + 1 }, (_v, i) => String(low + i)) };
  if (type === 'number' || type === 'integer') return { minimum: low, maximum: high };
  return {};
}

function readDefault(description, type) {
  const match = DEFAULT.exec(description);
  if (!match) return {};
  const quoted = match[1] ?? match[2] ?? match[3];
  const text = normaliseValue(quoted ?? match[4] ?? '');
  if (text === '') return {};
  switch (type) {
    case 'number':
    case 'integer': {
      if (quoted !== undefined || !new RegExp(`^${NUMBER}$`).test(text)) return {};
      const value = Number(text);
      return type === 'integer' && !Number.isInteger(value) ? {} : { default: value };
    }
    case 'boolean':
      return text === 'true' || text === 'false' ? { default: text === 'true' } : {};
    case 'string':
      return { default: text };
    default:
      return {};
  }
}

/**
 * What `description` states about a field of JSON type `type`: any of `minimum`, `maximum`,
 * `default` and `enum`, as JSON Schema keywords. A default that contradicts the range or the
 * choices read from the same text is dropped rather than trusted.
 */
export function readDescriptionHints(description, type) {
  if (typeof description !== 'string' || description.trim() === '') return {};
  const hints = { ...readScale(description, type), ...readRange(description, type), ...readChoices(description, type) };
  const { default: value } = readDefault(description, type);
  if (value === undefined) return hints;
  if (hints.enum && !hints.enum.includes(value)) return hints;
  if (hints.minimum !== undefined && (value < hints.minimum || value > hints.maximum)) return hints;
  return { ...hints, default: value };
}
