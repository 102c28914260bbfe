// These tests run in real time against a real scheduler; run them one at a time so that timing on a small machine stays honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
