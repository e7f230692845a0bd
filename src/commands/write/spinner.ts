// A one-line spinner for a terminal (stderr), redrawn in place and erased when stopped.
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  private frame = 0;
  private text = '';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.timer = setInterval(() => this.draw(), 80);
    this.timer.unref();
  }

  update(text: string): void {
    this.text = text;
    this.draw();
  }

  private draw(): void {
    const width = Math.max((this.out.columns || 80) - 3, 10);
    const line = this.text.length > width ? `${this.text.slice(0, width - 1)}…` : this.text;
    this.out.write(`\r\x1b[2K${FRAMES[this.frame]} ${line}`);
    this.frame = (this.frame + 1) % FRAMES.length;
  }

  stop(): void {
    clearInterval(this.timer);
    this.out.write('\r\x1b[2K');
  }
}
