/** Downloads go through an anchor so the browser uses the server's Content-Disposition file name. */
export function download(url: string): void {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = "";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}
