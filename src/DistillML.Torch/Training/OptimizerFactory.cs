using TorchSharp;
using TorchSharp.Modules;

namespace DistillML.Torch.Training;

/// <summary>Builds AdamW as BERT is trained: decoupled weight decay on weights, none on biases and LayerNorm parameters.</summary>
public static class OptimizerFactory
{
    /// <summary>True for parameters that take no weight decay (transformers' <c>["bias", "LayerNorm.weight"]</c> rule).</summary>
    public static bool IsNoDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal);

    /// <summary>AdamW over <paramref name="module"/>'s trainable parameters, in a decay and a no-decay group.</summary>
    public static AdamW CreateAdamW(torch.nn.Module module, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        var named = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var groups = new List<AdamW.ParamGroup>
        {
            new(named.Where(p => !IsNoDecay(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = learningRate, weight_decay = weightDecay }),
            new(named.Where(p => IsNoDecay(p.name)).Select(p => p.parameter), new AdamW.Options { LearningRate = learningRate, weight_decay = 0 }),
        };
        return torch.optim.AdamW(groups, learningRate, beta1, beta2, eps, weightDecay);
    }
}
