using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Training;

namespace TorchBench;

/// <summary>Share of the token slots that are padding in one epoch of train-v1.1 batches, random against length-grouped.</summary>
internal static class Padding
{
    public static int Run(string squadDirectory)
    {
        string vocab = Path.Combine(squadDirectory, "..", "bert-base-uncased-vocab.txt");
        var train = SquadDataset.Load(Path.Combine(squadDirectory, "train-v1.1.json"));
        Console.WriteLine($"train-v1.1: {train.Count:N0} questions; batch 32, one epoch, each batch cut to its longest window (QaBatch)");
        Console.WriteLine($"{"windows",-10}{"stride",8}{"count",10}{"random",10}{"grouped",10}{"slots saved",13}");
        foreach (int seq in new[] { 256, 384 })
        {
            var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocab, MaxSequenceLength = seq, DocStride = 128 });
            var lengths = featurizer.Featurize(train).Select(w => w.SequenceLength).ToArray();
            int batches = (lengths.Length + 31) / 32;
            double random = ShuffledBatches.PaddingFraction(lengths, ShuffledBatches.Indices(lengths.Length, 32, new Random(42)).Take(batches));
            var grouped = ShuffledBatches.LengthGrouped(lengths, 32, new Random(42)).Take(batches + ShuffledBatches.DefaultPoolBatches).ToList();
            // One epoch of grouped batches: pools may end in a short batch, so count batches until every window is seen.
            int seen = 0, take = 0;
            while (seen < lengths.Length) seen += grouped[take++].Count;
            double groupedPadding = ShuffledBatches.PaddingFraction(lengths, grouped.Take(take));
            Console.WriteLine($"{seq,-10}{128,8}{lengths.Length,10:N0}{random,10:P1}{groupedPadding,10:P1}{1 - (1 - random) / (1 - groupedPadding),13:P1}");
        }
        return 0;
    }
}
