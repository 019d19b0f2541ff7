using Microsoft.CodeAnalysis;

namespace EcsNeural.Ecs.Generators;

/// <summary>
/// Adds the Ecs assembly's API that exists once per component count, 1 to <see cref="Arity.Max"/>: <c>World.Create</c>,
/// the three query forms and their bodies, <c>QueryDescription.WithAll/WithAny/WithNone</c> and <c>Chunk.GetSpans</c>.
/// It reads no user code: the text depends only on the arity, so it is added once when the compilation starts.
/// The generated methods go through the hand-written checks (<c>ArchetypeForCreate</c>, <c>ArchetypeIteration</c>),
/// which refuse a disposed world or a structural change during a query.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ArityGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context) =>
        context.RegisterPostInitializationOutput(static output =>
        {
            output.AddSource("World.Create.g.cs", CreateSource.Text());
            output.AddSource("World.Query.g.cs", QuerySource.Text());
            output.AddSource("QueryBodies.g.cs", QueryBodiesSource.Text());
            output.AddSource("QueryDescription.With.g.cs", QueryDescriptionSource.Text());
            output.AddSource("Chunk.GetSpans.g.cs", ChunkSpansSource.Text());
        });
}
