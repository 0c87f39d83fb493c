namespace Tributary.Jobs.Tests;

/// <summary>Dynamic batch sizing: grow on fast clean batches, halve on throttling, stay within [Min, Max].</summary>
public sealed class BatchSizerTests
{
    private static JobSettings Dynamic() => new() { BatchSize = 100, DynamicBatchSizing = true, MinBatchSize = 20, MaxBatchSize = 300 };

    [Fact]
    public void Fast_clean_batches_grow_the_size_up_to_the_maximum()
    {
        var sizer = new BatchSizer(Dynamic(), 100);
        var sizes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            sizer.Succeeded(TimeSpan.FromMilliseconds(200), attempts: 1);
            sizes.Add(sizer.Current);
        }

        Assert.Equal([150, 225, 300, 300], sizes);
    }

    [Fact]
    public void Throttling_halves_the_size_down_to_the_minimum()
    {
        var sizer = new BatchSizer(Dynamic(), 100);
        var sizes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            sizer.Throttled();
            sizes.Add(sizer.Current);
        }

        Assert.Equal([50, 25, 20, 20], sizes);
    }

    [Fact]
    public void Slow_or_retried_batches_do_not_grow_it_and_a_fixed_size_never_moves()
    {
        var dynamic = new BatchSizer(Dynamic(), 100);
        dynamic.Succeeded(BatchSizer.FastBatch + TimeSpan.FromSeconds(1), attempts: 1);
        dynamic.Succeeded(TimeSpan.FromMilliseconds(10), attempts: 2);
        Assert.Equal(100, dynamic.Current);

        var fixedSize = new BatchSizer(new JobSettings { BatchSize = 100 }, 100);
        fixedSize.Succeeded(TimeSpan.FromMilliseconds(10), attempts: 1);
        fixedSize.Throttled();
        Assert.Equal(100, fixedSize.Current);
    }
}
