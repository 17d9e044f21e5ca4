namespace DistillML.Torch.Distillation;

/// <summary>What one axis of a parameter tensor indexes; decides how it is carried from teacher to student.</summary>
/// <remarks>
/// <see cref="HeadDims"/> is the concatenation of the attention heads (the output of q, k, v and the input of the
/// attention output): it is never projected, only cut to whole leading heads, so a narrower student keeps the
/// teacher's first heads intact; projecting it would mix the heads' dimensions and leave no head's attention intact.
/// <see cref="Embedding"/> is the width of an ELECTRA projection's input, the factorised embedding.
/// </remarks>
internal enum Axis { Hidden, HeadDims, Intermediate, Vocabulary, Position, TokenType, Output, Embedding }

/// <summary>A parameter under a family-independent name: <c>emb.word</c>, <c>layer.q</c>, <c>qa</c>, ... plus its kind and axes.</summary>
/// <param name="Key">Canonical module name (<c>emb.pos</c>, <c>q</c>, <c>ff1</c>, <c>ln1</c>, <c>qa</c>, ...).</param>
/// <param name="Layer">Layer index, or -1 outside the layer stack.</param>
/// <param name="IsBias">True for <c>.bias</c>.</param>
/// <param name="IsLayerNormScale">True for a LayerNorm's weight (a diagonal scale, projected as one).</param>
/// <param name="Axes">The role of every axis.</param>
internal sealed record ParameterRole(string Key, int Layer, bool IsBias, bool IsLayerNormScale, Axis[] Axes)
{
    private static readonly Dictionary<string, string> BertLayerParts = new()
    {
        ["attention.self.query"] = "q", ["attention.self.key"] = "k", ["attention.self.value"] = "v",
        ["attention.output.dense"] = "o", ["attention.output.LayerNorm"] = "ln1",
        ["intermediate.dense"] = "ff1", ["output.dense"] = "ff2", ["output.LayerNorm"] = "ln2",
    };

    private static readonly Dictionary<string, string> DistilLayerParts = new()
    {
        ["attention.q_lin"] = "q", ["attention.k_lin"] = "k", ["attention.v_lin"] = "v", ["attention.out_lin"] = "o",
        ["sa_layer_norm"] = "ln1", ["ffn.lin1"] = "ff1", ["ffn.lin2"] = "ff2", ["output_layer_norm"] = "ln2",
    };

    /// <summary>
    /// The role of a Hugging Face tensor name of any family. ELECTRA's embedding tables are named for their roles here
    /// with a hidden axis, which they are when <c>embedding_size == hidden_size</c>; <see cref="StudentInitializer"/>
    /// handles factorised ones itself.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a BERT/DistilBERT/ELECTRA QA tensor.</exception>
    public static ParameterRole Of(string name)
    {
        bool bias = name.EndsWith(".bias", StringComparison.Ordinal);
        string module = name[..name.LastIndexOf('.')];
        foreach (var (prefix, parts) in new[] { ("bert.encoder.layer.", BertLayerParts), ("electra.encoder.layer.", BertLayerParts), ("distilbert.transformer.layer.", DistilLayerParts) })
        {
            if (!module.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string rest = module[prefix.Length..];
            int dot = rest.IndexOf('.');
            int layer = int.Parse(rest[..dot], System.Globalization.CultureInfo.InvariantCulture);
            string part = parts.TryGetValue(rest[(dot + 1)..], out var p) ? p : throw Unknown(name);
            return ForPart(part, layer, bias, name);
        }
        int embeddings = module.IndexOf(".embeddings.", StringComparison.Ordinal);
        string family = embeddings > 0 ? module[..embeddings] : "";
        string key = (family, embeddings > 0 ? module[(embeddings + ".embeddings.".Length)..] : module) switch
        {
            ("bert" or "electra" or "distilbert", "word_embeddings") => "emb.word",
            ("bert" or "electra" or "distilbert", "position_embeddings") => "emb.pos",
            ("bert" or "electra", "token_type_embeddings") => "emb.type",
            ("bert" or "electra" or "distilbert", "LayerNorm") => "emb.ln",
            ("", "electra.embeddings_project") => "emb.proj",
            ("", "qa_outputs") => "qa",
            _ => throw Unknown(name),
        };
        return ForPart(key, -1, bias, name);
    }

    private static ParameterRole ForPart(string part, int layer, bool bias, string name) => part switch
    {
        "q" or "k" or "v" => new(part, layer, bias, false, bias ? [Axis.HeadDims] : [Axis.HeadDims, Axis.Hidden]),
        "o" => new(part, layer, bias, false, bias ? [Axis.Hidden] : [Axis.Hidden, Axis.HeadDims]),
        "ff1" => new(part, layer, bias, false, bias ? [Axis.Intermediate] : [Axis.Intermediate, Axis.Hidden]),
        "ff2" => new(part, layer, bias, false, bias ? [Axis.Hidden] : [Axis.Hidden, Axis.Intermediate]),
        "ln1" or "ln2" or "emb.ln" => new(part, layer, bias, !bias, [Axis.Hidden]),
        "emb.word" => new(part, layer, bias, false, [Axis.Vocabulary, Axis.Hidden]),
        "emb.pos" => new(part, layer, bias, false, [Axis.Position, Axis.Hidden]),
        "emb.type" => new(part, layer, bias, false, [Axis.TokenType, Axis.Hidden]),
        "qa" => new(part, layer, bias, false, bias ? [Axis.Output] : [Axis.Output, Axis.Hidden]),
        "emb.proj" => new(part, layer, bias, false, bias ? [Axis.Hidden] : [Axis.Hidden, Axis.Embedding]),
        _ => throw Unknown(name),
    };

    private static ArgumentException Unknown(string name) =>
        new($"Tensor '{name}' is not part of a BERT, DistilBERT or ELECTRA question-answering model.", nameof(name));
}
