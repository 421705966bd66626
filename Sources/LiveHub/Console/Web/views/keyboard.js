/**
 * keyboard.js — the agent's shortcuts: j / k next / previous conversation, r focus the
 * composer, 1–3 take a suggestion, Esc blur the field being typed in or close the thread.
 * Nothing fires while typing in a field, except Esc; nothing fires with Ctrl/Alt/Meta.
 */

/** handlers: {next(), prev(), reply(), take(n), escape(field|null)}; returns an uninstaller. */
export function installKeyboard(handlers) {
  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
    const field = typingIn(ev.target) ? ev.target : null;
    if (ev.key === 'Escape') {
      handlers.escape(field);
      return;
    }
    if (field) return;
    let handled = true;
    switch (ev.key) {
      case 'j':
        handlers.next();
        break;
      case 'k':
        handlers.prev();
        break;
      case 'r':
        handlers.reply();
        break;
      case '1':
      case '2':
      case '3':
        handled = handlers.take(Number(ev.key)) !== false;
        break;
      default:
        handled = false;
    }
    if (handled) ev.preventDefault();
  }
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

function typingIn(node) {
  if (!node || !(node instanceof Element)) return false;
  if (node.isContentEditable) return true;
  const tag = node.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (node.getAttribute('type') || 'text').toLowerCase();
  return !['button', 'submit', 'checkbox', 'radio', 'reset'].includes(type);
}
