// Each test drives real host processes under load and kills them; running two at once on two shared cores would
// measure the machine, not the host. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
