using DistillML.Torch.Modeling;
using TorchSharp;

namespace DistillML.Torch.Tests.Modeling;

/// <summary>
/// Making and initialising a model leaves no tensor wrapper to the finalizer. TorchSharp 0.107 hands libtorch raw
/// handles; a wrapper that nothing references once its handle has been read can be finalized, and its native tensor
/// deleted, while libtorch still runs on it. Unpinned, the test host crashed in libtorch's bump_version after
/// <c>normal_</c> on an embedding weight (about one run of DistillML.Tests in seven; within a minute of making models
/// while another thread forced collections).
/// </summary>
public class ModelInitializationTests
{
    private static BertConfig Tiny => new() { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 64 };

    [Fact]
    public void Initializing_weights_disposes_every_tensor_wrapper_it_makes()
    {
        using var model = new BertQaModel(Tiny);
        var stats = DisposeScopeManager.Statistics; // this thread's counts
        long live = stats.ThreadTotalLiveCount;
        model.InitializeWeights();
        Assert.Equal(live, stats.ThreadTotalLiveCount);
    }

    [Fact]
    public void Initializing_weights_keeps_the_padding_row_zero_and_draws_the_rest()
    {
        using var model = new BertQaModel(Tiny);
        using var scope = torch.NewDisposeScope();
        var words = model.WordEmbeddings;
        Assert.Equal(0f, words[Tiny.PadTokenId].abs().max().item<float>());
        Assert.True(words[Tiny.PadTokenId + 1].abs().max().item<float>() > 0);
    }

    [Fact]
    [Trait("Category", "Long")]
    public void Models_made_while_another_thread_forces_collections_do_not_crash_the_process()
    {
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        })
        { IsBackground = true };
        collector.Start();
        try
        {
            // Before the fix this crashed the process after 20 to 80 models (a 30,522-row embedding: long native calls).
            for (int i = 0; i < 300; i++)
                using (new BertQaModel(Tiny with { HiddenSize = 64, IntermediateSize = 128 })) { }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
