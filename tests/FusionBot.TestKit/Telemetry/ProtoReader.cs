using System.Buffers.Binary;
using System.Text;

namespace FusionBot.TestKit.Telemetry;

/// <summary>One field of a protobuf message: varint and fixed values in <see cref="Number"/>, the rest in <see cref="Bytes"/>.</summary>
internal readonly record struct ProtoField(int Field, ulong Number, ReadOnlyMemory<byte> Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);
}

/// <summary>
/// The protobuf wire format, enough to read OTLP export requests by field number (the OTLP message types are not
/// served as a package here; the field numbers are those of opentelemetry-proto v1).
/// </summary>
internal static class ProtoReader
{
    public static List<ProtoField> Read(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var key = ReadVarint(span, ref position);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    fields.Add(new ProtoField(field, ReadVarint(span, ref position), default));
                    break;
                case 1:
                    fields.Add(new ProtoField(field, BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(position, 8)), default));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref position);
                    fields.Add(new ProtoField(field, 0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    fields.Add(new ProtoField(field, BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(position, 4)), default));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {key & 7} at byte {position}.");
            }
        }

        return fields;
    }

    public static IEnumerable<ReadOnlyMemory<byte>> Messages(this List<ProtoField> fields, int field) =>
        fields.Where(f => f.Field == field).Select(f => f.Bytes);

    public static string? String(this List<ProtoField> fields, int field) =>
        fields.LastOrDefault(f => f.Field == field) is { Field: > 0 } found ? found.Text : null;

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
