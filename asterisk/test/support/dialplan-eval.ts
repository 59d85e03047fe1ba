/**
 * A tiny evaluator of Asterisk dialplan expressions, enough for the recording file name of
 * extensions.conf [sub-record]: `${VAR}`, `${STRFTIME(epoch,zone,format)}`, `${CHANNEL(linkedid)}`,
 * `${IF(cond?a:b)}` and `$["a" = "b"]` / `!=`. Innermost first, as Asterisk substitutes.
 */
export function evaluate(expression: string, vars: Record<string, string>): string {
  const functions: Record<string, (arg: string) => string> = {
    STRFTIME(arg) {
      const [epoch = '', , format = ''] = arg.split(',');
      const d = new Date(Number(epoch) * 1000);
      const pad = (n: number) => String(n).padStart(2, '0');
      const fields: Record<string, string> = {
        Y: String(d.getUTCFullYear()),
        m: pad(d.getUTCMonth() + 1),
        d: pad(d.getUTCDate()),
        H: pad(d.getUTCHours()),
        M: pad(d.getUTCMinutes()),
        S: pad(d.getUTCSeconds()),
      };
      return format.replace(/%([YmdHMS])/g, (_, f: string) => fields[f]!);
    },
    CHANNEL(arg) {
      if (arg !== 'linkedid') throw new Error(`CHANNEL(${arg}) is not evaluated here`);
      return vars.LINKEDID!;
    },
    IF(arg) {
      const q = arg.indexOf('?');
      const [yes = '', no = ''] = arg.slice(q + 1).split(':');
      return arg.slice(0, q).trim() === '1' ? yes : no;
    },
  };
  let text = expression;
  for (;;) {
    const m = /\$\{([^${}[\]]*)\}|\$\[([^${}[\]]*)\]/.exec(text);
    if (!m) return text;
    let value: string;
    if (m[1] !== undefined) {
      const call = /^([A-Z_]+)\((.*)\)$/s.exec(m[1]);
      if (call) {
        const fn = functions[call[1]!];
        if (!fn) throw new Error(`function ${call[1]} is not evaluated here`);
        value = fn(call[2]!);
      } else {
        if (!(m[1] in vars)) throw new Error(`variable ${m[1]} has no value here`);
        value = vars[m[1]]!;
      }
    } else {
      const cmp = /^\s*"(.*)"\s*(!?=)\s*"(.*)"\s*$/.exec(m[2]!);
      if (!cmp) throw new Error(`expression $[${m[2]}] is not evaluated here`);
      value = (cmp[1] === cmp[3]) === (cmp[2] === '=') ? '1' : '0';
    }
    text = text.slice(0, m.index) + value + text.slice(m.index + m[0].length);
  }
}
