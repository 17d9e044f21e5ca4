using DistillML.Torch.Modeling;

namespace DistillML.Onnx.Tests;

/// <summary>Small random models and a matching toy vocabulary for export tests.</summary>
internal static class TinyModels
{
    public const int VocabSize = 60;

    public static BertConfig Config(ModelFamily family, int maxPositions = 512) => new()
    {
        Family = family, VocabSize = VocabSize, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 48,
        MaxPositionEmbeddings = maxPositions, TypeVocabSize = family == ModelFamily.DistilBert ? 0 : 2,
        EmbeddingSize = family == ModelFamily.Electra ? 16 : null, // factorised: 16-wide tables projected to 32
    };

    /// <summary>
    /// A model with weights drawn wider than Hugging Face's initialisation (std 0.2 instead of 0.02), so that logits
    /// spread over a trained-like range (several units) and tolerances mean something.
    /// </summary>
    public static BertQaModel Create(ModelFamily family, string vocabPath, int seed = 1, int maxPositions = 512)
    {
        var model = TorchRandom.Seeded(seed, () => new BertQaModel(Config(family, maxPositions) with { InitializerRange = 0.2 }) { VocabularyPath = vocabPath });
        model.eval();
        return model;
    }

    /// <summary>Writes a vocabulary of <see cref="VocabSize"/> tokens: the specials, then "tok5", "tok6", ...</summary>
    public static string WriteVocabulary(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "toy-vocab.txt");
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        for (int i = tokens.Count; i < VocabSize; i++) tokens.Add($"tok{i}");
        File.WriteAllLines(path, tokens);
        return path;
    }
}
