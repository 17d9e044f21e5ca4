namespace DistillML.Text.Squad;

/// <summary>A directory holding the SQuAD files (train-v1.1.json, dev-v1.1.json, and dev-v2.0 files for the SQuAD 2.0 variant).</summary>
public static class SquadDirectory
{
    /// <summary>The half of dev-v2.0 (with exact answer offsets) that the SQuAD 2.0 variant trains on.</summary>
    public const string Squad2TrainingHalf = "dev-v2.0-half-exact-offsets.json";

    /// <summary>
    /// SQuAD 1.1: train-v1.1 and dev-v1.1. SQuAD 2.0: train-v1.1 plus dev-v2.0-half-exact-offsets for training, and the
    /// questions of dev-v2.0 not in that half (matched by context and question text) for evaluation.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message says where SQuAD is published).</exception>
    public static (List<SquadExample> Train, IReadOnlyList<SquadExample> Dev) Load(string squadDirectory, bool squad2)
    {
        var train = SquadDataset.Load(File(squadDirectory, "train-v1.1.json")).ToList();
        if (!squad2) return (train, SquadDataset.Load(File(squadDirectory, "dev-v1.1.json")));
        var half = SquadDataset.Load(File(squadDirectory, Squad2TrainingHalf));
        var inHalf = half.Select(e => (e.Context, e.Question)).ToHashSet();
        train.AddRange(half);
        return (train, SquadDataset.Load(File(squadDirectory, "dev-v2.0.json")).Where(e => !inHalf.Contains((e.Context, e.Question))).ToList());
    }

    /// <summary>The path of <paramref name="name"/> in <paramref name="directory"/>; throws naming where SQuAD is published when it is missing.</summary>
    public static string File(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"{path} not found. SQuAD is published at https://rajpurkar.github.io/SQuAD-explorer/ " +
                $"(train-v1.1.json, dev-v1.1.json, dev-v2.0.json); pass the directory that holds them.", path);
        return path;
    }
}
