// The test jobs share static knobs (failing items, the gate): one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
