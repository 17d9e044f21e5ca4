using System.Diagnostics;
using System.Net.Http.Json;

namespace DistillML.Onnx.Tests.Service;

/// <summary>A bounded closed-loop load test: <c>concurrency</c> clients send requests back to back until <c>total</c> are done.</summary>
internal static class LoadGenerator
{
    public sealed record Result(int Requests, int Failures, double Seconds, double P50Ms, double P99Ms, double MaxMs)
    {
        public double RequestsPerSecond => Requests / Seconds;

        public override string ToString() =>
            $"{Requests} requests ({Failures} failed) in {Seconds:F1} s: {RequestsPerSecond:F1} req/s, p50 {P50Ms:F1} ms, p99 {P99Ms:F1} ms, max {MaxMs:F1} ms";
    }

    public static async Task<Result> RunAsync(HttpClient client, IReadOnlyList<(string Question, string Context)> bodies, int total, int concurrency)
    {
        var latencies = new double[total];
        int next = -1, failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var (question, context) = bodies[i % bodies.Count];
                long start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/answer", new { question, context });
                await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(total - 1, (int)Math.Ceiling(p * total) - 1)];
        return new Result(total, failures, seconds, Percentile(0.50), Percentile(0.99), latencies[^1]);
    }
}
