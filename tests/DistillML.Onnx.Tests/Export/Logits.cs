using DistillML.Torch.Modeling;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace DistillML.Onnx.Tests.Export;

/// <summary>Start and end logits of one batch, flattened [batch * sequence], from TorchSharp or ONNX Runtime.</summary>
internal sealed record Logits(float[] Start, float[] End)
{
    public static Logits FromTorch(BertQaModel model, RandomBatch b)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.eval();
        var ids = torch.tensor(b.InputIds, [b.Batch, b.Sequence]);
        var mask = torch.tensor(b.AttentionMask, [b.Batch, b.Sequence]);
        var types = model.Config.HasTokenTypes ? torch.tensor(b.TokenTypeIds, [b.Batch, b.Sequence]) : null;
        var output = model.forward(ids, mask, types);
        return new Logits(output.StartLogits.data<float>().ToArray(), output.EndLogits.data<float>().ToArray());
    }

    public static Logits FromOnnx(InferenceSession session, RandomBatch b)
    {
        long[] shape = [b.Batch, b.Sequence];
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = OrtValue.CreateTensorValueFromMemory(b.InputIds, shape),
            ["attention_mask"] = OrtValue.CreateTensorValueFromMemory(b.AttentionMask, shape),
        };
        if (session.InputMetadata.ContainsKey("token_type_ids"))
            inputs["token_type_ids"] = OrtValue.CreateTensorValueFromMemory(b.TokenTypeIds, shape);
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs, ["start_logits", "end_logits"]);
            Assert.Equal(shape, outputs[0].GetTensorTypeAndShape().Shape);
            Assert.Equal(shape, outputs[1].GetTensorTypeAndShape().Shape);
            return new Logits(outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            foreach (var v in inputs.Values) v.Dispose();
        }
    }

    public double MaxAbsDifference(Logits other) => Math.Max(MaxAbs(Start, other.Start), MaxAbs(End, other.End));

    public double MaxAbsValue => Math.Max(Start.Max(Math.Abs), End.Max(Math.Abs));

    private static double MaxAbs(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
