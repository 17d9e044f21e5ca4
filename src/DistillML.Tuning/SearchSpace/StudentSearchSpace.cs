namespace DistillML.Tuning.SearchSpace;

/// <summary>
/// Ready search spaces for distilled BERT students, and the exact parameter count of a student
/// (a known objective: computed from the parameters, never modelled).
/// </summary>
public static class StudentSearchSpace
{
    /// <summary>
    /// The ranges of SigOpt's BERT distillation experiment: layers 1-6, heads 2-12 with head size 32 or 64
    /// (hidden = heads x head size, always divisible), intermediate multiple 2-4 (intermediate = multiple x hidden),
    /// dropout and attention dropout 0-0.3, learning rate 1e-5 to 1e-3 (log), temperature 1-10,
    /// alpha_ce 0-1 (alpha_squad = 1 - alpha_ce), warmup fraction 0-0.2, weight decay 0-0.1.
    /// </summary>
    public static SearchSpace DistilBertLike() => SearchSpace.Create()
        .AddInteger("layers", 1, 6, init: 4)
        .AddInteger("heads", 2, 12, init: 6)
        .AddOrderedChoice("head_size", 32, 64)
        .AddInteger("intermediate_multiple", 2, 4, init: 4)
        .AddFloat("dropout", 0, 0.3, init: 0.1)
        .AddFloat("attention_dropout", 0, 0.3, init: 0.1)
        .AddFloat("learning_rate", 1e-5, 1e-3, init: 5e-5, logScale: true)
        .AddFloat("temperature", 1, 10, init: 2)
        .AddFloat("alpha_ce", 0, 1, init: 0.5)
        .AddFloat("warmup_fraction", 0, 0.2, init: 0.1)
        .AddFloat("weight_decay", 0, 0.1, init: 0.01)
        .Build();

    /// <summary>Hidden size of a student: heads x head size.</summary>
    public static int Hidden(Parameter p) => p.GetInt32("heads") * p.GetInt32("head_size");

    /// <summary>
    /// The exact number of weights of a DistilBERT-style QA student: word and position embeddings
    /// with their LayerNorm, per layer four H x H attention projections, two LayerNorms and the
    /// H x I / I x H feed-forward pair (all with biases), and the 2-way span head.
    /// </summary>
    /// <param name="p">A point of <see cref="DistilBertLike"/>.</param>
    /// <param name="vocabularySize">Word-piece vocabulary size (30,522 for bert-base-uncased).</param>
    /// <param name="maxPositions">Position embeddings (512 for BERT).</param>
    public static long ParameterCount(Parameter p, int vocabularySize = 30522, int maxPositions = 512)
    {
        long h = Hidden(p);
        long i = p.GetInt32("intermediate_multiple") * h;
        long layers = p.GetInt32("layers");
        var embeddings = (vocabularySize + maxPositions) * h + 2 * h;
        var perLayer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
        var head = 2 * h + 2;
        return embeddings + layers * perLayer + head;
    }
}
