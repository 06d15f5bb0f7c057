// The site's prose pages come from the markdown the repository already keeps (the READMEs of the
// CLI, the contract tests, the specs and the packages), rendered with marked: no second copy to keep in step.
import { posix } from "node:path";
import { Marked } from "marked";

/**
 * The part of a markdown document under `## title`, up to the next heading of level 2 or 1
 * (headings inside code fences do not count). Throws when the heading is missing, so a renamed
 * README section fails the build instead of leaving a page empty.
 */
export function section(markdown, title) {
  const lines = markdown.split("\n");
  let fenced = false;
  let start = -1;
  let end = lines.length;
  for (const [i, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    if (start === -1 && line.trim() === `## ${title}`) start = i;
    else if (start !== -1 && /^#{1,2} /.test(line)) {
      end = i;
      break;
    }
  }
  if (start === -1) throw new Error(`no "## ${title}" section in the markdown`);
  return lines.slice(start, end).join("\n");
}

/** What comes before the first `## ` heading (outside code fences). */
export function preamble(markdown) {
  const lines = markdown.split("\n");
  let fenced = false;
  for (const [i, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && line.startsWith("## ")) return lines.slice(0, i).join("\n");
  }
  return markdown;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes. */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

const escapeHtml = (text) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * Renders markdown to HTML.
 * - `from`: the repository path of the source file (`packages/helpdesk/README.md`), against which
 *   relative links resolve.
 * - `linkTo(repoPath, hash)`: the site URL of a repository file or folder, or undefined when the site
 *   does not hold it; such a link is rendered as its text (the site works without the repository).
 */
export function renderMarkdown(markdown, { from, linkTo }) {
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        const id = slug(tokens.map((t) => t.raw).join(""));
        return `<h${depth} id="${escapeHtml(id)}">${html}</h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        const text = this.parser.parseInline(tokens);
        const target = siteHref(href, from, linkTo);
        if (target === undefined) return `<span class="repo-path">${text}</span>`;
        const external = /^https?:/.test(target);
        const attrs = [
          `href="${escapeHtml(target)}"`,
          title ? `title="${escapeHtml(title)}"` : "",
          external ? 'rel="noopener noreferrer"' : "",
        ].filter(Boolean);
        return `<a ${attrs.join(" ")}>${text}</a>`;
      },
      code({ text, lang }) {
        const language = (lang ?? "").split(/\s/)[0];
        const cls = language ? ` class="language-${escapeHtml(language)}"` : "";
        return `<pre><code${cls}>${escapeHtml(text)}</code></pre>\n`;
      },
    },
  });
  return marked.parse(markdown);
}

/** Where a link of a markdown file points on the site (absolute URLs and same-page anchors as they are). */
function siteHref(href, from, linkTo) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return href;
  const [path = "", hash] = href.split("#");
  const repoPath = posix.normalize(posix.join(posix.dirname(from), path)).replace(/\/$/, "");
  return linkTo(repoPath, hash);
}
