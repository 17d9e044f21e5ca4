using DistillML.Torch.Distillation;
using DistillML.Torch.QuestionAnswering;
using DistillML.Text.Features;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Distillation;

public sealed class TeacherLogitsCacheTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"tlc-{Guid.NewGuid():N}");
    readonly List<QaFeature> windows = TinyModels.Featurizer.Value.Featurize(TinyModels.Train.Value.Take(30)).ToList();

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Cached_logits_equal_the_teachers_to_float16_precision()
    {
        using var teacher = TinyModels.Untrained(1);
        using var cache = TeacherLogitsCache.GetOrCreate(root, teacher, windows, TinyModels.Featurizer.Value);
        var direct = new BertQaPredictor(teacher, TinyModels.Featurizer.Value).Logits(windows);
        Assert.False(cache.LoadedFromCache);
        Assert.Equal(windows.Count, cache.Count);
        for (int i = 0; i < windows.Count; i++)
        {
            var (start, end) = cache.Get(i);
            Assert.Equal(windows[i].SequenceLength, start.Length);
            for (int t = 0; t < start.Length; t++)
            {
                Assert.Equal(direct[i].StartLogits.Span[t], start[t], 2e-3f * Math.Max(1, Math.Abs(start[t])));
                Assert.Equal(direct[i].EndLogits.Span[t], end[t], 2e-3f * Math.Max(1, Math.Abs(end[t])));
            }
        }
    }

    [Fact]
    public void A_second_open_reuses_the_file_without_running_the_teacher()
    {
        using var teacher = TinyModels.Untrained(1);
        using (var first = TeacherLogitsCache.GetOrCreate(root, teacher, windows, TinyModels.Featurizer.Value)) Assert.False(first.LoadedFromCache);
        // A fresh model object with the same weights stands for a restarted process: only the content hash links them.
        using var sameWeights = TinyModels.Clone(teacher);
        using var second = TeacherLogitsCache.GetOrCreate(root, sameWeights, windows, TinyModels.Featurizer.Value);
        Assert.True(second.LoadedFromCache);
        Assert.Single(Directory.GetFiles(root, "*.tlogits"));
    }

    [Fact]
    public void Other_teacher_weights_or_featurizer_settings_give_another_key()
    {
        using var teacher = TinyModels.Untrained(1);
        using var other = TinyModels.Untrained(2);
        var key = TeacherLogitsCache.KeyFor(teacher, windows, TinyModels.Featurizer.Value);
        Assert.NotEqual(key, TeacherLogitsCache.KeyFor(other, windows, TinyModels.Featurizer.Value));
        var shorter = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = TestSupport.SharedAssets.BertVocab, MaxSequenceLength = 96, DocStride = 24, MaxQueryLength = 32 });
        var shorterWindows = shorter.Featurize(TinyModels.Train.Value.Take(30)).ToList();
        Assert.NotEqual(key.Digest, TeacherLogitsCache.KeyFor(teacher, shorterWindows, shorter).Digest);
        using (no_grad()) teacher.parameters().First().add_(1e-3f);
        Assert.NotEqual(key, TeacherLogitsCache.KeyFor(teacher, windows, TinyModels.Featurizer.Value));
    }

    [Fact]
    public void A_corrupt_or_foreign_file_under_the_name_is_rebuilt()
    {
        using var teacher = TinyModels.Untrained(1);
        var key = TeacherLogitsCache.KeyFor(teacher, windows, TinyModels.Featurizer.Value);
        Directory.CreateDirectory(root);
        string path = Path.Combine(root, TeacherLogitsCache.FileName(key));
        File.WriteAllBytes(path, "DMLTLOG1 not really"u8.ToArray());
        using var cache = TeacherLogitsCache.GetOrCreate(root, teacher, windows, TinyModels.Featurizer.Value);
        Assert.False(cache.LoadedFromCache);
        Assert.True(new FileInfo(path).Length > windows.Sum(w => w.SequenceLength) * 4);
    }

    [Fact]
    public void Two_concurrent_builders_compute_once_and_read_the_same_values()
    {
        using var teacher = TinyModels.Untrained(1);
        using var twin = TinyModels.Clone(teacher);
        var featurizer = TinyModels.Featurizer.Value;
        var results = new TeacherLogits[2];
        Parallel.For(0, 2, i => results[i] = TeacherLogitsCache.GetOrCreate(root, i == 0 ? teacher : twin, windows, featurizer));
        try
        {
            Assert.Equal(1, results.Count(r => !r.LoadedFromCache));
            for (int w = 0; w < windows.Count; w++) Assert.Equal(results[0].Get(w).Start, results[1].Get(w).Start);
            Assert.Empty(Directory.GetFiles(root, "*.tmp"));
        }
        finally
        {
            foreach (var r in results) r?.Dispose();
        }
    }
}

public class TeacherLogitsLockTests
{
    [Fact]
    public async Task A_lock_that_cannot_be_created_fails_at_once_instead_of_waiting_forever()
    {
        // /proc refuses new files (even for root, who passes permission checks): the condition of a read-only folder.
        var acquire = typeof(DistillML.Torch.Distillation.TeacherLogitsCache).GetMethod("AcquireLock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var attempt = Task.Run(() =>
        {
            try { acquire.Invoke(null, ["/proc/distillml-test.lock", CancellationToken.None]); return null; }
            catch (System.Reflection.TargetInvocationException e) { return e.InnerException; }
        });
        var finished = await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == attempt, "AcquireLock kept retrying");
        var error = Assert.IsType<IOException>(await attempt);
        Assert.Contains("/proc/distillml-test.lock", error.Message);
    }
}
