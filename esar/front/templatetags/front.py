from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from esar.front.home import Block

register = template.Library()


@register.simple_tag(takes_context=True)
def home_block(context: Context, block: Block) -> SafeString:
    """Render a home section's block as `{% include %}` would, with the section's context."""
    assert context.template is not None
    included = context.template.engine.get_template(block.template)
    with context.push(**block.context):
        return included.render(context)
