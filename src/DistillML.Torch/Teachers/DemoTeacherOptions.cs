using DistillML.Torch.Modeling;

namespace DistillML.Torch.Teachers;

/// <summary>
/// The recipe of the demo teacher, trained where no pretrained BERT can be downloaded: masked-LM self-pretraining
/// on the SQuAD training contexts, then SQuAD fine-tuning. Defaults are sized for about 30 minutes on 2 CPU cores
/// (L3/H192, 7.2M parameters, windows of 192 tokens); scale them up on a GPU.
/// </summary>
public sealed record DemoTeacherOptions
{
    /// <summary>Transformer layers. Default 3.</summary>
    public int Layers { get; init; } = 3;
    /// <summary>Hidden width. Default 192.</summary>
    public int Hidden { get; init; } = 192;
    /// <summary>Attention heads. Default 3.</summary>
    public int Heads { get; init; } = 3;
    /// <summary>Feed-forward width. Default 768.</summary>
    public int Intermediate { get; init; } = 768;
    /// <summary>QA window length in tokens. Default 192 (most SQuAD paragraphs fit; attention cost grows with its square).</summary>
    public int SequenceLength { get; init; } = 192;
    /// <summary>Overlap of consecutive windows. Default 64.</summary>
    public int DocStride { get; init; } = 64;
    /// <summary>MLM optimizer steps; 0 skips pretraining (the ablation). Default 500.</summary>
    public int MlmSteps { get; init; } = 500;
    /// <summary>MLM sequences per batch. Default 64.</summary>
    public int MlmBatch { get; init; } = 64;
    /// <summary>MLM sequence length. Default 128.</summary>
    public int MlmSequenceLength { get; init; } = 128;
    /// <summary>MLM peak learning rate. Default 1e-3.</summary>
    public double MlmLearningRate { get; init; } = 1e-3;
    /// <summary>QA optimizer steps (3,000 x 32 windows, about 0.8 of an epoch of train-v1.1 at 192 tokens). Default 3000.</summary>
    public int QaSteps { get; init; } = 3000;
    /// <summary>QA windows per batch. Default 32.</summary>
    public int QaBatch { get; init; } = 32;
    /// <summary>QA peak learning rate (high, as the model is small and starts from little). Default 5e-4.</summary>
    public double QaLearningRate { get; init; } = 5e-4;
    /// <summary>Evaluate on a dev subset every this many QA steps, keeping the best. Default 1000.</summary>
    public int EvaluateEvery { get; init; } = 1000;
    /// <summary>Questions in that dev subset (spread evenly over the dev file). Default 500.</summary>
    public int EvaluationQuestions { get; init; } = 500;
    /// <summary>Evaluate the finished teacher on at most this many dev questions (evenly spread); null for all.</summary>
    public int? MaxDevQuestions { get; init; }
    /// <summary>SQuAD 2.0 variant: add the exact-offsets half of dev-v2.0 to training, evaluate on the other half.</summary>
    public bool Squad2 { get; init; }
    /// <summary>Seed of initialisation, masking, shuffling and dropout. Default 42.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Start from this checkpoint (e.g. a saved MLM stage) instead of a fresh model; skips MLM.</summary>
    public string? InitFrom { get; init; }
    /// <summary>Save the model right after MLM here, so other fine-tuning runs can share the pretraining.</summary>
    public string? MlmOutput { get; init; }
    /// <summary>Device name ("cpu", "cuda", null for the default).</summary>
    public string? Device { get; init; }

    /// <summary>The architecture these options describe, for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    public BertConfig Architecture(int vocabSize) => new()
    {
        VocabSize = vocabSize, NumLayers = Layers, HiddenSize = Hidden, NumHeads = Heads, IntermediateSize = Intermediate,
        MaxPositionEmbeddings = Math.Max(512, SequenceLength),
    };
}
