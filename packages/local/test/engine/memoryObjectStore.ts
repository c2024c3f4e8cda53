// An in-memory stand-in for S3 with the engine's readObject/writeObject signatures.
export class MemoryObjectStore {
  readonly objects = new Map<string, string>();

  readObject = async (bucket: string, key: string): Promise<string> => {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw Object.assign(new Error(`NoSuchKey: ${bucket}/${key}`), { name: 'NoSuchKey' });
    return body;
  };

  writeObject = async (bucket: string, key: string, body: string): Promise<void> => {
    this.objects.set(`${bucket}/${key}`, body);
  };

  json(bucket: string, key: string): unknown {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new Error(`missing ${bucket}/${key}`);
    return JSON.parse(body);
  }

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }
}
