using TorchSharp;

namespace DistillML.Torch.OnnxExport;

/// <summary>The trained weights of a module by Hugging Face tensor name, copied to float32 arrays on the CPU.</summary>
internal sealed class WeightTable
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> weights = new(StringComparer.Ordinal);

    public WeightTable(torch.nn.Module module)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in module.state_dict())
        {
            var cpu = tensor.detach().to(torch.ScalarType.Float32).cpu().contiguous();
            weights[name] = (cpu.data<float>().ToArray(), cpu.shape);
        }
    }

    /// <summary>Number of parameters, summed over every tensor.</summary>
    public long Count => weights.Values.Sum(w => (long)w.Values.Length);

    /// <summary>The tensor <paramref name="name"/>, checked against the expected shape.</summary>
    public float[] Get(string name, params long[] shape)
    {
        if (!weights.TryGetValue(name, out var w))
            throw new InvalidOperationException($"The model has no tensor '{name}' (its state_dict names do not follow Hugging Face's).");
        if (!w.Shape.SequenceEqual(shape))
            throw new InvalidOperationException($"Tensor '{name}' has shape [{string.Join(", ", w.Shape)}], expected [{string.Join(", ", shape)}].");
        return w.Values;
    }
}
