// Form components, the GOV.UK Design System's way, so every page's form is built the same and
// the wiring a screen reader needs is written once: a label `for` its control, the hint and the
// error message beside the field with ids the control's aria-describedby lists, aria-invalid
// when it is wrong, and an error summary at the top linking to each field. They render plain
// HTML: forms work without JavaScript. Looks (big labels and touch targets) are static/app.css's.
import type { Child, JSX } from 'hono/jsx';

/** The id of a field's hint, named after its control's id. */
export const hintId = (id: string) => `${id}-hint`;
/** The id of a field's error message, named after its control's id. */
export const errorId = (id: string) => `${id}-error`;

const shown = (child: Child | undefined): boolean => child !== undefined && child !== null && child !== false && child !== '';

/** Where a field's label, hint and error go, and how its group looks. */
export interface FieldOptions {
  label: Child;
  hint?: Child | undefined;
  /** The message beside the field; also makes the control aria-invalid. */
  error?: string | undefined;
  /** Wrong without a message of its own (e.g. a rule broken across cells): aria-invalid only. */
  invalid?: boolean | undefined;
  /** The group's class: a form group ('field') or a report table's cell ('cell'); with an error also `field-error` / `cell-error`. */
  kind?: 'field' | 'cell' | undefined;
  /** More classes on the group. */
  class?: string | undefined;
  labelClass?: string | undefined;
  /** After the control, e.g. the unit of a number. */
  suffix?: Child | undefined;
  /** More attributes of the group, e.g. the data-* the browser script finds it by, or hidden. */
  group?: Record<string, string | boolean | undefined> | undefined;
}

const FIELD_OPTIONS = ['label', 'hint', 'error', 'invalid', 'kind', 'class', 'labelClass', 'suffix', 'group'] as const;

/** Splits a control's props into the field's options and the rest, the control's own attributes. */
function splitField<P extends FieldOptions>(props: P): [FieldOptions, P] {
  const field: Record<string, unknown> = {};
  const control: Record<string, unknown> = { ...(props as unknown as Record<string, unknown>) };
  for (const key of FIELD_OPTIONS) {
    field[key] = control[key];
    delete control[key];
  }
  // (Typed as P for its own keys; the field's are gone.)
  return [field as unknown as FieldOptions, control as unknown as P];
}

/** The control's ARIA: what describes it (hint, then error) and whether it is wrong. */
export function controlAria(id: string, field: Pick<FieldOptions, 'hint' | 'error' | 'invalid'>) {
  const describedBy = [shown(field.hint) ? hintId(id) : '', field.error ? errorId(id) : ''].filter(Boolean).join(' ');
  return {
    'aria-describedby': describedBy || undefined,
    'aria-invalid': field.invalid || field.error ? ('true' as const) : undefined,
  };
}

/** The hint and the error message a control's aria-describedby points at (controlAria). */
function HintAndError(props: { id: string; hint?: FieldOptions['hint']; error?: FieldOptions['error'] }) {
  return (
    <>
      {shown(props.hint) ? (
        <p class="hint" id={hintId(props.id)}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-message" id={errorId(props.id)}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

function groupClass(field: Pick<FieldOptions, 'kind' | 'error' | 'class'>): string {
  const kind = field.kind ?? 'field';
  return [kind, field.error ? `${kind}-error` : '', field.class ?? ''].filter(Boolean).join(' ');
}

/**
 * One question: label, hint, error message, then the control (its children) and a suffix. The
 * controls below render themselves in one; use it directly for anything else labelled (an
 * <output>), giving the control `controlAria(id, …)`.
 */
export function Field(props: FieldOptions & { id: string; children?: Child }) {
  return (
    <div class={groupClass(props)} {...props.group}>
      <label for={props.id} class={props.labelClass}>
        {props.label}
      </label>
      <HintAndError id={props.id} hint={props.hint} error={props.error} />
      {props.children}
      {props.suffix}
    </div>
  );
}

// (hono's element attributes accept any name, so Omit<> of them would keep nothing: intersect instead.)
type Attributes<E extends keyof JSX.IntrinsicElements> = JSX.IntrinsicElements[E];

export type TextInputProps = FieldOptions & Attributes<'input'> & { id: string; name: string; type?: 'text' | 'email' | 'datetime-local' };

/** A one-line text field (also an email address or a local date and time). */
export function TextInput(props: TextInputProps) {
  const [field, { id, name, type = 'text', ...attributes }] = splitField(props);
  return (
    <Field id={id} {...field}>
      <input id={id} name={name} type={type} {...attributes} {...controlAria(id, field)} />
    </Field>
  );
}

/** Its type and inputmode are its own. */
export type NumberInputProps = TextInputProps & {
  /** Digits after the point: a decimal keypad when there are any. */
  decimals?: number;
  /** May be negative: a full keyboard, since numeric keypads lack the minus sign. */
  signed?: boolean;
};

/**
 * A number, as GOV.UK asks: type="text" with an inputmode for the phone's keypad, not
 * type="number" (which rounds, changes on scroll, and refuses what the server could read, e.g.
 * full-width digits).
 */
export function NumberInput({ decimals = 0, signed = false, ...props }: NumberInputProps) {
  return <TextInput {...props} type="text" inputmode={signed ? 'text' : decimals > 0 ? 'decimal' : 'numeric'} />;
}

export type TextareaProps = FieldOptions & Attributes<'textarea'> & { id: string; name: string; value?: string | undefined };

/** Several lines of text. */
export function Textarea(props: TextareaProps) {
  const [field, { id, name, value, ...attributes }] = splitField(props);
  return (
    <Field id={id} {...field}>
      <textarea id={id} name={name} {...attributes} {...controlAria(id, field)}>
        {value ?? ''}
      </textarea>
    </Field>
  );
}

export type SelectProps = FieldOptions &
  Attributes<'select'> & { id: string; name: string; options: { value: string; text: Child }[]; selected?: string | undefined };

/** One choice from a list. */
export function Select(props: SelectProps) {
  const [field, { id, name, options, selected, ...attributes }] = splitField(props);
  return (
    <Field id={id} {...field}>
      <select id={id} name={name} {...attributes} {...controlAria(id, field)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === selected}>
            {o.text}
          </option>
        ))}
      </select>
    </Field>
  );
}

export interface CheckboxesProps {
  /** The first box's id (the error summary links to it); the others get `${id}-2`, `${id}-3`, …. */
  id: string;
  name: string;
  legend: Child;
  hint?: Child | undefined;
  error?: string | undefined;
  class?: string | undefined;
  items: { value: string; label: Child; checked?: boolean }[];
}

/** Several choices under one question: a fieldset the hint and error describe, a label around each box. */
export function Checkboxes(props: CheckboxesProps) {
  return (
    // GOV.UK's way: the fieldset is described by the hint and error; no box is aria-invalid.
    <fieldset class={groupClass(props)} aria-describedby={controlAria(props.id, props)['aria-describedby']}>
      <legend>{props.legend}</legend>
      <HintAndError id={props.id} hint={props.hint} error={props.error} />
      {props.items.map((item, i) => (
        <label class="check">
          <input id={i === 0 ? props.id : `${props.id}-${i + 1}`} type="checkbox" name={props.name} value={item.value} checked={item.checked} /> {item.label}
        </label>
      ))}
    </fieldset>
  );
}

export type ButtonProps = JSX.IntrinsicElements['button'] & {
  /** The variant says how it looks. */
  class?: never;
  /** 'secondary': grey, beside a main action; 'link': looks like a link (e.g. 撤销 in a notice). */
  variant?: 'secondary' | 'link' | undefined;
  /** A link that looks like a button (GET: going somewhere, not doing something). */
  href?: string | undefined;
  children?: Child;
};

const BUTTON_CLASS = { primary: 'button', secondary: 'button button-secondary', link: 'link-button' } as const;

/** A button that submits its form (name=value tells the server which one), or a link dressed as one. */
export function Button({ variant, href, type = 'submit', name, value, children, ...attributes }: ButtonProps) {
  const className = BUTTON_CLASS[variant ?? 'primary'];
  if (href !== undefined) {
    return (
      <a class={className} href={href} {...attributes}>
        {children}
      </a>
    );
  }
  return (
    <button type={type} name={name} value={value} class={className} {...attributes}>
      {children}
    </button>
  );
}

export interface ErrorSummaryProps {
  title: Child;
  /** Each problem, linking to its field (`#id`, or the form's page and `#id`). */
  errors?: { href: string; text: Child; class?: string | undefined }[];
  /**
   * role="alert": announced as the page loads. Not for a summary the browser script rewrites as
   * the clerk types, nor for one that reports rather than refuses.
   */
  alert?: boolean;
  /** Only warnings, nothing refused. */
  warning?: boolean;
  /** Below the list, e.g. how to fix it. */
  children?: Child;
  /** Takes focus as the page loads (autofocus, no script needed): a refused form's summary. */
  focus?: boolean;
  /** More attributes, e.g. the data-summary the browser script finds it by. */
  [attribute: `data-${string}`]: string | undefined;
}

/**
 * The box at the top of a page whose form was refused: a title and a link to each field. It can
 * take focus (tabindex=-1) without entering the tab order.
 */
export function ErrorSummary({ title, errors = [], alert = true, warning = false, focus = false, children, ...attributes }: ErrorSummaryProps) {
  return (
    <div
      class={warning ? 'error-summary warning-summary' : 'error-summary'}
      role={alert ? 'alert' : undefined}
      tabindex={-1}
      autofocus={focus ? true : undefined}
      {...attributes}
    >
      <h2>{title}</h2>
      {errors.length ? (
        <ul>
          {errors.map((e) => (
            <li class={e.class}>
              <a href={e.href}>{e.text}</a>
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </div>
  );
}

/**
 * A list page's GET filter or sort: a labelled <select> of fixed choices, each named in the
 * page's language, and its button. Works without JavaScript; the choice is in the URL to share.
 */
export function ChoiceFilter<C extends string>(props: {
  action: string;
  id: string;
  name: string;
  label: string;
  choices: readonly C[];
  selected: C;
  /** The visible name of each choice, already translated. */
  choiceName: (choice: C) => string;
  button: string;
  /** Query values the form carries along unchanged (e.g. ?within=). */
  keep?: Record<string, string | undefined>;
  children?: Child;
}) {
  return (
    <form method="get" action={props.action} class="filter" role="search">
      {Object.entries(props.keep ?? {}).map(([name, value]) => (value === undefined ? null : <input type="hidden" name={name} value={value} />))}
      {props.children}
      <label for={props.id}>
        {props.label}
        <select id={props.id} name={props.name}>
          {props.choices.map((c) => (
            <option value={c} selected={c === props.selected}>
              {props.choiceName(c)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="button button-secondary">
        {props.button}
      </button>
    </form>
  );
}
