using DistillML.Text.Features;

namespace DistillML.Tests;

public sealed class QaManifestTests
{
    static readonly QaManifest Trained = new(QaManifest.CurrentFormat, "inference", QaColumns.Default, 256, 128, 48, false, false, 0, 30, 64, null);

    [Fact]
    public void FeaturizerFor_uses_the_windows_the_checkpoint_was_trained_with_and_the_defaults_without_a_manifest()
    {
        var trained = QaManifest.FeaturizerFor(Trained, "vocab.txt");
        Assert.Equal((256, 128, 48, false, "vocab.txt"), (trained.MaxSequenceLength, trained.DocStride, trained.MaxQueryLength, trained.LowerCase, trained.VocabPath));
        var plain = QaManifest.FeaturizerFor(null, null);
        var defaults = new FeaturizerOptions();
        Assert.Equal((defaults.MaxSequenceLength, defaults.DocStride, defaults.MaxQueryLength, defaults.LowerCase),
            (plain.MaxSequenceLength, plain.DocStride, plain.MaxQueryLength, plain.LowerCase));
    }

    [Fact]
    public void FeaturizerFor_lets_the_caller_override_the_windows_only()
    {
        var options = QaManifest.FeaturizerFor(Trained, null, maxSequenceLength: 192, docStride: 64);
        Assert.Equal((192, 64, 48, false), (options.MaxSequenceLength, options.DocStride, options.MaxQueryLength, options.LowerCase));
    }
}
