// The in-process cron scheduler behind `synth daemon` and `synth schedules`.
export { checkSchedule, checkSchedules, commandLineSchedule, isTimeZone, ScheduleOrigin, type CheckedSchedule, type CommandLineScheduleOptions } from './checked-schedule.js';
export { acquireDaemonLock, runningDaemon } from './daemon-lock.js';
export { DaemonEvent, DaemonLog, DaemonLogEntrySchema, daemonLogFile, humanLine, type DaemonLogEntry, type DaemonLogInput } from './daemon-log.js';
export { parseDuration } from './duration.js';
export { nextFireTimes, previousFireTime, withCronTask, type CronTiming } from './fire-times.js';
export { seedForFire } from './run-seed.js';
export { scheduleReport, type ScheduleReport, type SchedulesReport } from './schedule-report.js';
export { Scheduler, ScheduleOutcome, type SchedulerOptions, type StopResult, type TickSite } from './scheduler.js';
