using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Tributary.Api.WebConsole.Components.Shared;

/// <summary>An SVG <c>&lt;text&gt;</c> element: Razor reads <c>&lt;text&gt;</c> in code as its own tag, so charts write theirs here.</summary>
public sealed class SvgText : ComponentBase
{
    [Parameter]
    public string X { get; set; } = "0";

    [Parameter]
    public string Y { get; set; } = "0";

    [Parameter]
    public string? Class { get; set; }

    [Parameter]
    public string? Transform { get; set; }

    [Parameter]
    public string Value { get; set; } = string.Empty;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "x", X);
        builder.AddAttribute(2, "y", Y);
        builder.AddAttribute(3, "class", Class);
        builder.AddAttribute(4, "transform", Transform);
        builder.AddContent(5, Value);
        builder.CloseElement();
    }
}
