/** Copying text: the async Clipboard API where allowed, else selecting a field and `execCommand`. */

export async function copyText(text: string, fallbackField?: HTMLTextAreaElement | HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (no permission, insecure context): try the old way below.
  }
  if (!fallbackField) return false;
  fallbackField.focus();
  fallbackField.select();
  return document.execCommand('copy');
}
