// Each grain test starts its own silo; one test at a time keeps a two-core machine from starving them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
