/**
 * Entry point of the sweep's worker threads (loaded by piscina): runs one {@link PointTask} per call.
 *
 * @module
 */
import { runTask, type PointTask, type TaskOutcome } from './task.js';

/** Runs one point in this worker. */
export default function evaluatePoint(task: PointTask): Promise<TaskOutcome> {
  return runTask(task);
}
