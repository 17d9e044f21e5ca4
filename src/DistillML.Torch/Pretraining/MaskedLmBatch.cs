using DistillML.Text.Features;

namespace DistillML.Torch.Pretraining;

/// <summary>A masked batch: corrupted inputs, and the original ids at the chosen positions (-100 elsewhere).</summary>
/// <param name="InputIds">[batch * seq] ids after masking, row-major.</param>
/// <param name="AttentionMask">[batch * seq] 1 for tokens, 0 for padding.</param>
/// <param name="Labels">[batch * seq] the original id where a prediction is asked for, -100 (ignored) elsewhere.</param>
/// <param name="Rows">Sequences in the batch.</param>
/// <param name="Columns">Tokens per sequence.</param>
public sealed record MaskedLmBatch(long[] InputIds, long[] AttentionMask, long[] Labels, int Rows, int Columns);

/// <summary>
/// Chooses and corrupts tokens as BERT's pretraining does (transformers' <c>DataCollatorForLanguageModeling</c> and,
/// with whole words, <c>DataCollatorForWholeWordMask</c>): each non-special token (or word) is chosen with the mask
/// probability; a chosen token becomes [MASK] with 80%, a random token with 10%, and stays unchanged with 10%.
/// </summary>
public sealed class MaskedLmMasker(WordPieceVocabulary vocabulary, MaskedLmOptions options)
{
    /// <summary>The label value that cross-entropy ignores.</summary>
    public const long Ignore = -100;

    /// <summary>Masks <paramref name="sequences"/> (each starting with [CLS], ending with [SEP], unpadded) into one padded batch.</summary>
    public MaskedLmBatch Mask(IReadOnlyList<int[]> sequences, Random random)
    {
        int rows = sequences.Count, columns = sequences.Max(s => s.Length);
        var input = new long[rows * columns];
        var mask = new long[rows * columns];
        var labels = new long[rows * columns];
        Array.Fill(input, vocabulary.PadId);
        Array.Fill(labels, Ignore);
        for (int r = 0; r < rows; r++)
        {
            int[] seq = sequences[r];
            bool[] chosen = Choose(seq, random);
            for (int c = 0; c < seq.Length; c++)
            {
                int at = r * columns + c;
                mask[at] = 1;
                input[at] = seq[c];
                if (!chosen[c]) continue;
                labels[at] = seq[c];
                double draw = random.NextDouble();
                if (draw < options.ReplaceWithMask) input[at] = vocabulary.MaskId;
                else if (draw < options.ReplaceWithMask + options.ReplaceWithRandom) input[at] = random.Next(vocabulary.Count);
            }
        }
        return new MaskedLmBatch(input, mask, labels, rows, columns);
    }

    private bool[] Choose(int[] seq, Random random)
    {
        var chosen = new bool[seq.Length];
        bool previousChosen = false;
        for (int c = 0; c < seq.Length; c++)
        {
            if (vocabulary.IsSpecial(seq[c])) { previousChosen = false; continue; }
            // With whole-word masking a "##" piece follows its word's choice; otherwise every piece draws alone.
            chosen[c] = options.WholeWordMasking && c > 0 && vocabulary.IsContinuation(seq[c])
                ? previousChosen
                : random.NextDouble() < options.MaskProbability;
            previousChosen = chosen[c];
        }
        return chosen;
    }
}
