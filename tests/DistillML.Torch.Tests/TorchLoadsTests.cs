using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void Tiny_module_trains_and_its_loss_falls()
    {
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1));
        var x = torch.randn(64, 4);
        var y = (x[.., 0] * 2 - x[.., 1] + 0.5f).unsqueeze(1);
        var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            float value = loss.item<float>();
            if (step == 0) first = value;
            last = value;
        }
        Assert.True(last < first * 0.2f, $"loss went from {first} to {last}");
    }
}
