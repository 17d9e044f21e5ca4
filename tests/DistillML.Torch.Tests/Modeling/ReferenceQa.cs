using DistillML.Torch.Modeling;

namespace DistillML.Torch.Tests.Modeling;

/// <summary>
/// A deliberately plain re-implementation of Hugging Face's BERT / DistilBERT / ELECTRA QA forward pass over double
/// arrays, written from transformers' modeling code (not from ours), used as the independent reference for logits.
/// ELECTRA (modeling_electra.py): ElectraEmbeddings sums and normalises at embedding_size, ElectraModel then applies
/// embeddings_project (when embedding_size != hidden_size) before BERT's layers, and the QA head reads the last layer.
/// </summary>
internal sealed class ReferenceQa(BertConfig c, IReadOnlyDictionary<string, float[]> w)
{
    string P => c.Family switch { ModelFamily.Bert => "bert.", ModelFamily.Electra => "electra.", _ => "distilbert." };

    public (double[] Start, double[] End) Forward(long[] ids, long[] mask, long[]? types)
    {
        int s = ids.Length, h = c.Family == ModelFamily.Electra ? c.EmbeddingSize!.Value : c.HiddenSize;
        var x = new double[s][];
        for (int t = 0; t < s; t++)
        {
            x[t] = new double[h];
            for (int j = 0; j < h; j++)
            {
                double v = w[P + "embeddings.word_embeddings.weight"][ids[t] * h + j] + w[P + "embeddings.position_embeddings.weight"][t * h + j];
                if (c.Family != ModelFamily.DistilBert) v += w[P + "embeddings.token_type_embeddings.weight"][(types?[t] ?? 0) * h + j];
                x[t][j] = v;
            }
            x[t] = Norm(x[t], P + "embeddings.LayerNorm", c.LayerNormEps);
            if (h != c.HiddenSize) x[t] = Linear(x[t], "electra.embeddings_project", h, c.HiddenSize);
        }
        h = c.HiddenSize;
        for (int l = 0; l < c.NumLayers; l++) x = c.Family == ModelFamily.DistilBert ? DistilLayer(x, mask, l) : BertLayer(x, mask, l);
        var start = new double[s];
        var end = new double[s];
        for (int t = 0; t < s; t++)
        {
            var o = Linear(x[t], "qa_outputs", h, 2);
            start[t] = o[0];
            end[t] = o[1];
        }
        return (start, end);
    }

    double[][] BertLayer(double[][] x, long[] mask, int l)
    {
        string p = $"{P}encoder.layer.{l}.";
        var ctx = Attention(x, mask, p + "attention.self.query", p + "attention.self.key", p + "attention.self.value");
        var a = x.Select((xi, t) => Norm(Add(Linear(ctx[t], p + "attention.output.dense", c.HiddenSize, c.HiddenSize), xi), p + "attention.output.LayerNorm", c.LayerNormEps)).ToArray();
        return a.Select(ai => Norm(Add(Linear(Linear(ai, p + "intermediate.dense", c.HiddenSize, c.IntermediateSize).Select(Gelu).ToArray(), p + "output.dense", c.IntermediateSize, c.HiddenSize), ai), p + "output.LayerNorm", c.LayerNormEps)).ToArray();
    }

    double[][] DistilLayer(double[][] x, long[] mask, int l)
    {
        string p = $"distilbert.transformer.layer.{l}.";
        var ctx = Attention(x, mask, p + "attention.q_lin", p + "attention.k_lin", p + "attention.v_lin");
        var a = x.Select((xi, t) => Norm(Add(Linear(ctx[t], p + "attention.out_lin", c.HiddenSize, c.HiddenSize), xi), p + "sa_layer_norm", 1e-12)).ToArray();
        return a.Select(ai => Norm(Add(Linear(Linear(ai, p + "ffn.lin1", c.HiddenSize, c.IntermediateSize).Select(Gelu).ToArray(), p + "ffn.lin2", c.IntermediateSize, c.HiddenSize), ai), p + "output_layer_norm", 1e-12)).ToArray();
    }

    double[][] Attention(double[][] x, long[] mask, string q, string k, string v)
    {
        int s = x.Length, h = c.HiddenSize, d = c.HeadSize;
        var Q = x.Select(xi => Linear(xi, q, h, h)).ToArray();
        var K = x.Select(xi => Linear(xi, k, h, h)).ToArray();
        var V = x.Select(xi => Linear(xi, v, h, h)).ToArray();
        var ctx = Enumerable.Range(0, s).Select(_ => new double[h]).ToArray();
        for (int head = 0; head < c.NumHeads; head++)
            for (int i = 0; i < s; i++)
            {
                var scores = new double[s];
                for (int j = 0; j < s; j++)
                {
                    double dot = 0;
                    for (int e = 0; e < d; e++) dot += Q[i][head * d + e] * K[j][head * d + e];
                    scores[j] = mask[j] == 1 ? dot / Math.Sqrt(d) : double.NegativeInfinity; // masked keys get no weight
                }
                double max = scores.Max();
                var p = scores.Select(z => Math.Exp(z - max)).ToArray();
                double sum = p.Sum();
                for (int j = 0; j < s; j++)
                    for (int e = 0; e < d; e++) ctx[i][head * d + e] += p[j] / sum * V[j][head * d + e];
            }
        return ctx;
    }

    double[] Linear(double[] x, string name, int inSize, int outSize)
    {
        var weight = w[name + ".weight"]; // [out, in], as torch.nn.Linear stores it
        var bias = w[name + ".bias"];
        var y = new double[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double acc = bias[o];
            for (int i = 0; i < inSize; i++) acc += weight[o * inSize + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    double[] Norm(double[] x, string name, double eps)
    {
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
        return x.Select((v, j) => (v - mean) / Math.Sqrt(variance + eps) * w[name + ".weight"][j] + w[name + ".bias"][j]).ToArray();
    }

    static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    // Exact GELU: x * Φ(x) = x/2 * (1 + erf(x/√2)).
    static double Gelu(double x) => 0.5 * x * (1 + MathNet.Numerics.SpecialFunctions.Erf(x / Math.Sqrt(2)));
}
