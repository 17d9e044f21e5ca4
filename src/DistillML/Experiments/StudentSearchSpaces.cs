using DistillML.Torch.Modeling;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Experiments;

/// <summary>Student search spaces sized to a teacher.</summary>
public static class StudentSearchSpaces
{
    /// <summary>
    /// <see cref="StudentSearchSpace.DistilBertLike"/> scaled to <paramref name="teacher"/>: layers 1 to min(6, teacher's),
    /// heads 1 to the teacher's, head size the teacher's or half of it, intermediate multiple 2-4, and the same dropout,
    /// temperature, alpha_ce, warmup and weight-decay ranges. For a BERT-base teacher this is the DistilBERT-like space;
    /// for small teachers (hidden &lt;= 256, trained briefly) the learning rate spans 1e-4 to 5e-3 instead of 1e-5 to 1e-3.
    /// </summary>
    public static SearchSpace ScaledTo(BertConfig teacher)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        int maxLayers = Math.Clamp(teacher.NumLayers, 1, 6);
        int headSize = teacher.HeadSize;
        bool small = teacher.HiddenSize <= 256;
        var builder = SearchSpace.Create()
            .AddInteger("layers", 1, Math.Max(1, maxLayers), init: Math.Max(1, (maxLayers + 1) / 2))
            .AddInteger("heads", 1, Math.Max(1, teacher.NumHeads), init: Math.Max(1, (teacher.NumHeads + 1) / 2));
        builder = headSize >= 16 && headSize % 2 == 0
            ? builder.AddOrderedChoice("head_size", headSize / 2, headSize)
            : builder.AddFixed("head_size", headSize);
        return builder
            .AddInteger("intermediate_multiple", 2, 4, init: 4)
            .AddFloat("dropout", 0, 0.3, init: 0.1)
            .AddFloat("attention_dropout", 0, 0.3, init: 0.1)
            .AddFloat("learning_rate", small ? 1e-4 : 1e-5, small ? 5e-3 : 1e-3, init: small ? 1e-3 : 5e-5, logScale: true)
            .AddFloat("temperature", 1, 10, init: 2)
            .AddFloat("alpha_ce", 0, 1, init: 0.5)
            .AddFloat("warmup_fraction", 0, 0.2, init: 0.1)
            .AddFloat("weight_decay", 0, 0.1, init: 0.01)
            .Build();
    }
}
