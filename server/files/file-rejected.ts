/** An uploaded file the server will not read, with the HTTP status it answers with (the route maps it). */
export class FileRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "FileRejected";
  }
}
