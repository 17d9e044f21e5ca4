using TorchSharp;

namespace DistillML.Onnx.Tests;

/// <summary>
/// torch's generator is process-wide and xunit runs test classes in parallel: seeding and drawing a model's weights
/// happen under this lock, so a seed always gives the same model whatever else runs.
/// </summary>
internal static class TorchRandom
{
    private static readonly Lock Gate = new();

    public static T Seeded<T>(int seed, Func<T> create)
    {
        lock (Gate)
        {
            torch.manual_seed(seed);
            return create();
        }
    }
}
