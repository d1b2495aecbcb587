using System.Buffers.Binary;
using System.IO.Compression;

namespace FusionBot.UnitTests.Deployment;

/// <summary>
/// A decoded 8-bit, non-interlaced PNG: enough to check app icons without an imaging package.
/// Pixels are row by row with <see cref="Channels"/> samples each (alpha last when present).
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _pixels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public bool HasAlpha => Channels is 2 or 4;

    /// <summary>Each pixel's samples (grey or RGB, then alpha when present).</summary>
    public IEnumerable<byte[]> EnumeratePixels()
    {
        for (var i = 0; i < _pixels.Length; i += Channels)
        {
            yield return _pixels[i..(i + Channels)];
        }
    }

    public static PngImage Decode(byte[] file)
    {
        if (file.Length < Signature.Length || !file.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var offset = Signature.Length; offset < file.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            var body = file.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(body);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                if (body[8] != 8 || body[12] != 0)
                {
                    throw new InvalidDataException($"Unsupported PNG: bit depth {body[8]}, interlace {body[12]}.");
                }

                channels = body[9] switch
                {
                    0 => 1,
                    2 => 3,
                    4 => 2,
                    6 => 4,
                    _ => throw new InvalidDataException($"Unsupported PNG colour type {body[9]}."),
                };
            }
            else if (type == "IDAT")
            {
                compressed.Write(body);
            }

            offset += 12 + length;
        }

        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        return new PngImage(width, height, channels, Unfilter(raw.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var left = x >= channels ? pixels[(y * stride) + x - channels] : 0;
                var up = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                var upLeft = y > 0 && x >= channels ? pixels[((y - 1) * stride) + x - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                };
                pixels[(y * stride) + x] = (byte)(raw[(y * (stride + 1)) + 1 + x] + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
