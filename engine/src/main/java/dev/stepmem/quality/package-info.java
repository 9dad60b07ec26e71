/**
 * Quality beyond perplexity: tasks that decode from the compressed memory and score the answer.
 *
 * <ul>
 *   <li>{@link dev.stepmem.quality.PasskeyPrompts}: the synthetic passkey (needle-in-a-haystack) prompt,
 *       seeded: a 5-digit key at a chosen depth of a filler text, the question at the end;</li>
 *   <li>{@link dev.stepmem.quality.PasskeyGrid}: exact-match accuracy over a depth x length grid for any
 *       {@link dev.stepmem.quality.Answerer} (the CLI's answers by chunked prefill plus greedy decoding).</li>
 * </ul>
 */
package dev.stepmem.quality;
