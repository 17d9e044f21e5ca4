using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;

namespace DistillML.Torch.Distillation;

/// <summary>
/// Computes a teacher's logits for every training window once and keeps them: in memory, or in a memory-mapped
/// float16 file keyed by (teacher weights hash, windows content hash, featurizer settings), so that every student of a
/// sweep — in this process or a later one — skips the teacher's forward pass.
/// </summary>
/// <remarks>
/// The file is named <c>teacher-logits-{first 16 hex of the key digest}.tlogits</c> inside the cache directory and
/// its header holds the whole key, which is checked on every open; a file for another key, or a truncated or corrupt
/// one, is rebuilt. Building holds an exclusive lock on <c>{file}.lock</c> (an advisory <c>flock</c> on Linux, a
/// share lock on Windows), so two processes that ask at once compute it once; the second waits and then reads the
/// first one's file. The file is written under a temporary name and renamed into place, so readers never see a
/// partial file, and processes that have the old file mapped keep reading it. float16 keeps logits to about 3
/// significant digits, far below what changes a softmax at the temperatures used for distillation.
/// </remarks>
public static class TeacherLogitsCache
{
    /// <summary>The file name for <paramref name="key"/>.</summary>
    public static string FileName(TeacherLogitsKey key) => $"teacher-logits-{key.Digest[..16]}.tlogits";

    /// <summary>The key of <paramref name="teacher"/>'s logits on <paramref name="windows"/> made by <paramref name="featurizer"/>.</summary>
    public static TeacherLogitsKey KeyFor(BertQaModel teacher, IReadOnlyList<QaFeature> windows, BertFeaturizer featurizer) =>
        new(ContentHash.OfModel(teacher), ContentHash.OfWindows(windows), ContentHash.Describe(featurizer.Options), windows.Count, teacher.Precision);

    /// <summary>
    /// The logits from <paramref name="directory"/>'s cache file when it holds this key; otherwise computed (once, across
    /// processes), written atomically and returned memory-mapped.
    /// </summary>
    public static TeacherLogits GetOrCreate(string directory, BertQaModel teacher, IReadOnlyList<QaFeature> windows, BertFeaturizer featurizer,
        int batchSize = 64, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var key = KeyFor(teacher, windows, featurizer);
        string path = Path.Combine(directory, FileName(key));
        if (TeacherLogitsFile.TryOpen(path, key, fromCache: true) is { } hit) return hit;
        Directory.CreateDirectory(directory);
        using (AcquireLock(path + ".lock", cancellationToken))
        {
            if (TeacherLogitsFile.TryOpen(path, key, fromCache: true) is { } builtMeanwhile) return builtMeanwhile;
            var (offsets, start, end) = Run(teacher, windows, featurizer, batchSize, progress, cancellationToken);
            TeacherLogitsFile.Write(path, key, offsets, start, end);
        }
        return TeacherLogitsFile.TryOpen(path, key, fromCache: false)
            ?? throw new IOException($"The teacher-logits cache '{path}' could not be read back after it was written.");
    }

    /// <summary>The logits computed now and kept in memory (no file).</summary>
    public static TeacherLogits Compute(BertQaModel teacher, IReadOnlyList<QaFeature> windows, BertFeaturizer featurizer,
        int batchSize = 64, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var key = KeyFor(teacher, windows, featurizer);
        var (offsets, start, end) = Run(teacher, windows, featurizer, batchSize, progress, cancellationToken);
        return new TeacherLogits(key, offsets, start, end);
    }

    private static (long[] Offsets, Half[] Start, Half[] End) Run(BertQaModel teacher, IReadOnlyList<QaFeature> windows, BertFeaturizer featurizer,
        int batchSize, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var offsets = new long[windows.Count + 1];
        for (int i = 0; i < windows.Count; i++) offsets[i + 1] = offsets[i] + windows[i].SequenceLength;
        var start = new Half[offsets[^1]];
        var end = new Half[offsets[^1]];
        var predictor = new BertQaPredictor(teacher, featurizer, batchSize: batchSize);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int chunk = Math.Max(batchSize * 8, 256);
        for (int first = 0; first < windows.Count; first += chunk)
        {
            int count = Math.Min(chunk, windows.Count - first);
            var logits = predictor.Logits(Slice(windows, first, count), cancellationToken);
            for (int i = 0; i < count; i++)
            {
                long at = offsets[first + i];
                var s = logits[i].StartLogits.Span;
                var e = logits[i].EndLogits.Span;
                for (int t = 0; t < s.Length; t++)
                {
                    start[at + t] = (Half)s[t];
                    end[at + t] = (Half)e[t];
                }
            }
            int done = first + count;
            var elapsed = clock.Elapsed;
            progress?.Report(new TrainingProgress("teacher-logits", done, windows.Count, double.NaN, 0, done / Math.Max(elapsed.TotalSeconds, 1e-9),
                elapsed, TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (windows.Count - done))));
        }
        return (offsets, start, end);
    }

    private static List<QaFeature> Slice(IReadOnlyList<QaFeature> windows, int first, int count)
    {
        var list = new List<QaFeature>(count);
        for (int i = first; i < first + count; i++) list.Add(windows[i]);
        return list;
    }

    private static FileStream AcquireLock(string path, CancellationToken cancellationToken)
    {
        // Waits while another process holds the lock (it is building this file); fails at once when the lock cannot be
        // created at all (a read-only or missing folder), which retrying would never cure.
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new IOException($"Cannot create the teacher-logits lock '{path}': {e.Message} Give the cache a writable directory.", e);
            }
            catch (IOException e) when (!File.Exists(path))
            {
                throw new IOException($"Cannot create the teacher-logits lock '{path}': {e.Message} Give the cache a writable directory.", e);
            }
            catch (IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(100); // another process is building this file
            }
        }
    }

}
