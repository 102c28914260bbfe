using System.Globalization;
using System.Net;
using System.Text;
using QRCoder;

namespace WorkflowHost.Web;

/// <summary>
/// A QR code as inline SVG: one path of the dark modules. Inline markup, not a <c>data:</c> image, which the pages'
/// Content-Security-Policy (<c>default-src 'self'</c>) would refuse; no style attribute either.
/// </summary>
public static class VerificationQr
{
    public static string Svg(string text, string label)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var size = data.ModuleMatrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (data.ModuleMatrix[y][x])
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
                }
            }
        }

        var name = WebUtility.HtmlEncode(label);
        return $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" role="img" aria-label="{name}" shape-rendering="crispEdges"><title>{name}</title><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>""";
    }
}
