// These tests run in real time against a real scheduler and spend most of it waiting (deadlines of a few seconds,
// Hangfire's polls, "nothing more may come" pauses), not computing: two classes at a time halve the project's wall time
// on two cores. No more than two, so that a test's timing on a small machine stays honest; the deadlines the tests
// race (early votes before a reminder 3-6 s on) already allow for a loaded machine, as CI runs this project beside the
// others. Hosts in one process keep apart (each its own Hangfire storage and activator, decision 0070); the channel
// worlds replace Hangfire with a recorder, so no test reads another's logs.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
