// Constraint expressions between sweep axes: numbers (with units where the axes have them, as SI numbers), axis
// names (dotted parameter paths, `batch`), + - * / ( ), comparisons < <= > >= == !=, and && || !. Parsed once into a
// closure; an error says where in the expression it is.
export type Env = Record<string, number>;
export type Compiled = (env: Env) => number;

export class ExprError extends Error {
  constructor(
    msg: string,
    readonly at: number,
  ) {
    super(msg);
  }
}

export function compile(src: string, names: string[]): Compiled {
  const toks: { t: string; v?: number; at: number }[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([A-Za-z_][\w.]*)|(<=|>=|==|!=|&&|\|\||[-+*/()<>!]))/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m || m[0].length === 0) {
      if (/^\s*$/.test(src.slice(pos))) break;
      throw new ExprError(`cannot read \`${src.slice(pos).trim().slice(0, 12)}\``, pos);
    }
    const at = pos + m[0].length - (m[1] ?? m[2] ?? m[3]).length;
    if (m[1]) toks.push({ t: 'num', v: Number(m[1]), at });
    else if (m[2]) {
      if (!names.includes(m[2])) throw new ExprError(`\`${m[2]}\` is not an axis (axes: ${names.join(', ')})`, at);
      toks.push({ t: 'id:' + m[2], at });
    } else toks.push({ t: m[3], at });
    pos = re.lastIndex;
  }
  let i = 0;
  const peek = () => toks[i]?.t;
  const eat = (t: string) => {
    if (peek() !== t) throw new ExprError(`expected \`${t}\``, toks[i]?.at ?? src.length);
    i++;
  };
  const bin =
    (next: () => Compiled, ops: string[]): (() => Compiled) =>
    () => {
      let l = next();
      while (ops.includes(peek() ?? '')) {
        const op = toks[i++].t,
          r = next(),
          a = l;
        l =
          op === '+'
            ? (e) => a(e) + r(e)
            : op === '-'
              ? (e) => a(e) - r(e)
              : op === '*'
                ? (e) => a(e) * r(e)
                : op === '/'
                  ? (e) => a(e) / r(e)
                  : op === '<'
                    ? (e) => +(a(e) < r(e))
                    : op === '<='
                      ? (e) => +(a(e) <= r(e) * (1 + 1e-12))
                      : op === '>'
                        ? (e) => +(a(e) > r(e))
                        : op === '>='
                          ? (e) => +(a(e) * (1 + 1e-12) >= r(e))
                          : op === '=='
                            ? (e) => +(Math.abs(a(e) - r(e)) <= 1e-12 * Math.max(1, Math.abs(r(e))))
                            : op === '!='
                              ? (e) => +(a(e) !== r(e))
                              : op === '&&'
                                ? (e) => +(!!a(e) && !!r(e))
                                : (e) => +(!!a(e) || !!r(e));
      }
      return l;
    };
  const atom = (): Compiled => {
    const tk = toks[i];
    if (!tk) throw new ExprError('unexpected end of the expression', src.length);
    i++;
    if (tk.t === 'num') {
      const v = tk.v!;
      return () => v;
    }
    if (tk.t.startsWith('id:')) {
      const n = tk.t.slice(3);
      return (e) => e[n];
    }
    if (tk.t === '(') {
      const x = or();
      eat(')');
      return x;
    }
    if (tk.t === '-') {
      const x = atom();
      return (e) => -x(e);
    }
    if (tk.t === '!') {
      const x = atom();
      return (e) => +!x(e);
    }
    throw new ExprError(`unexpected \`${tk.t}\``, tk.at);
  };
  const mul = bin(atom, ['*', '/']);
  const add = bin(mul, ['+', '-']);
  const cmp = bin(add, ['<', '<=', '>', '>=', '==', '!=']);
  const and = bin(cmp, ['&&']);
  const or = bin(and, ['||']);
  const f = or();
  if (i < toks.length) throw new ExprError(`unexpected \`${toks[i].t.replace(/^id:/, '')}\``, toks[i].at);
  return f;
}
