/** Progress lines on stderr while seeding: at most one every two seconds, and one at the end. */
export class Progress {
  private label = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private printedAt = 0;

  begin(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.started = Date.now();
    this.printedAt = this.started;
  }

  advance(count: number): void {
    this.done += count;
    const now = Date.now();
    if (now - this.printedAt >= 2000 && this.done < this.total) {
      this.printedAt = now;
      this.print(now);
    }
  }

  end(): void {
    if (this.printedAt !== Date.now()) this.print(Date.now());
  }

  private print(now: number): void {
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = this.done / seconds;
    const left = rate > 0 ? (this.total - this.done) / rate : 0;
    const percent = this.total === 0 ? 100 : (100 * this.done) / this.total;
    process.stderr.write(
      `  seeding ${this.label}: ${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} (${percent.toFixed(0)}%), ` +
        `${Math.round(rate).toLocaleString('en-US')}/s, ${seconds.toFixed(0)} s elapsed${this.done < this.total ? `, ~${left.toFixed(0)} s left` : ''}\n`,
    );
  }
}
