import type { CommandSpec } from '../command.js';
import { cancelCommand } from './cancel.js';
import { doctorCommand } from './doctor.js';
import { editCommand } from './edit.js';
import { resultCommand } from './result.js';
import { statusCommand } from './status.js';
import { modelsCommand } from './models.js';
import { usageCommand } from './usage.js';

export const commands: CommandSpec[] = [editCommand, modelsCommand, statusCommand, resultCommand, cancelCommand, usageCommand, doctorCommand];
