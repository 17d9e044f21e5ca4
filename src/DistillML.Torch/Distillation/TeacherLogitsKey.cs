using DistillML.Torch.Modeling;

namespace DistillML.Torch.Distillation;

/// <summary>What a set of teacher logits depends on; two caches with equal keys hold the same values.</summary>
/// <param name="TeacherHash">SHA-256 of the teacher's architecture and weights (<see cref="ContentHash.OfModel"/>).</param>
/// <param name="DataHash">SHA-256 of the windows' model inputs (<see cref="ContentHash.OfWindows"/>).</param>
/// <param name="Featurizer">The featurizer settings (<see cref="ContentHash.Describe"/>).</param>
/// <param name="Windows">Number of windows.</param>
/// <param name="Precision">The teacher's precision when it computed them (bfloat16 logits differ from float32 ones in the third digit).</param>
public sealed record TeacherLogitsKey(string TeacherHash, string DataHash, string Featurizer, int Windows, Precision Precision = Precision.Float32)
{
    /// <summary>One hex string for the whole key (SHA-256 of its parts); cache files are named after its first 16 characters.</summary>
    public string Digest => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{TeacherHash}|{DataHash}|{Featurizer}|{Windows}" + (Precision == Precision.Float32 ? "" : $"|{Precision}"))));
}
