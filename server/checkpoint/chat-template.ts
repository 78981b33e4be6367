/**
 * BitNet b1.58 2B4T's chat template and special-token names, as the hub's tokenizer_config.json
 * carries them (see docs/model-format.md §4). Kept apart from the tokenizer writer so the engine and
 * tests can name the pieces without loading the 128k-entry vocabulary.
 */
export const BOS_TOKEN = "<|begin_of_text|>";
/** Ends a chat turn: the template writes it after every message. */
export const EOT_TOKEN = "<|eot_id|>";

/**
 * Each message is `Role: content<|eot_id|>` (role capitalized, content trimmed), bos before the first one;
 * the generation prompt is `Assistant: `. Jinja filters bind tighter than `+`, so `| trim` applies to the
 * content alone.
 */
export const BITNET_CHAT_TEMPLATE =
  "{% for message in messages %}" +
  "{% set content = message['role'] | capitalize + ': ' + message['content'] | trim + '<|eot_id|>' %}" +
  "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}" +
  "{{ content }}" +
  "{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'Assistant: ' }}{% endif %}";
