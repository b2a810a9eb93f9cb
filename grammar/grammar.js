/**
 * @file Dockerfile grammar for tree-sitter, following BuildKit's parser.
 *
 * Lines, continuations, parser directives, keywords and heredocs follow the
 * rules of BuildKit (moby/buildkit frontend/dockerfile/parser): they are
 * decided by the external scanner (src/scanner.c), which knows the escape
 * character chosen by `# escape=` and the pending heredocs. Every token is
 * produced by the scanner except a little punctuation, so the scanner sees
 * every byte of a line.
 *
 * The tree is permissive on purpose: anything BuildKit's parser accepts gives
 * a tree without ERROR nodes, so that a tool can point at every part of a
 * real Dockerfile. The only syntax errors are what BuildKit rejects at the
 * line level: an unknown instruction keyword and an unterminated heredoc.
 * Values (quote removal, JSON decoding, word splitting) are computed by the
 * consumer from the bytes, as BuildKit computes them.
 */

// @ts-check

const KEYWORDS = [
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY',
  'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL',
  'HEALTHCHECK', 'SHELL',
];

module.exports = grammar({
  name: 'dockerfile',

  // A continuation (escape character, blanks, newline, plus the comment and
  // empty lines BuildKit drops after it) may sit between any two tokens.
  extras: $ => [$.line_continuation],

  // The order here is the order of `enum token` in src/scanner.c.
  externals: $ => [
    $._eol,
    $._newline,
    $.line_continuation,
    $.comment,
    $._directive_start,
    $.directive_name,
    $._directive_eq,
    $.directive_value,
    ...KEYWORDS.map(k => $['_kw_' + k.toLowerCase()]),
    $._kw_as,
    $._kw_none,
    $._kw_cmd_type,
    $._ws,
    $.flag_name,
    $._mount_flag_name,
    $._flag_end,
    $._eq,
    $._comma,
    $._colon,
    $._dq_open,
    $._dq_close,
    $._sq_open,
    $._sq_close,
    $._dollar,
    $._dollar_brace,
    $._rbrace,
    $._json_open,
    $._json_close,
    $._chunk,
    $._pair_key,
    $._legacy_key,
    $._user_chunk,
    $._param_key_chunk,
    $._param_value_chunk,
    $._dq_chunk,
    $._sq_chunk,
    $._brace_chunk,
    $._json_chunk,
    $.variable_name,
    $.expansion_operator,
    $.shell_fragment,
    $.heredoc_marker,
    $.heredoc_content,
    $.heredoc_end,
    $._error_sentinel,
  ],
  rules: {
    source_file: $ => repeat(choice(
      $._instruction,
      $.comment,
      $.parser_directive,
      $._newline,
      $._nul,
    )),

    // Never produced (drydock rejects NUL bytes before parsing): its only
    // job is to give the internal lexer a real token, without which the
    // generated lexer accepts end-of-input anywhere and hides errors.
    _nul: _ => token(prec(-1, /\x00/)),

    parser_directive: $ => seq(
      $._directive_start,
      field('name', $.directive_name),
      $._directive_eq,
      field('value', $.directive_value),
    ),

    _instruction: $ => choice(
      $.from_instruction,
      $.run_instruction,
      $.cmd_instruction,
      $.label_instruction,
      $.maintainer_instruction,
      $.expose_instruction,
      $.env_instruction,
      $.add_instruction,
      $.copy_instruction,
      $.entrypoint_instruction,
      $.volume_instruction,
      $.user_instruction,
      $.workdir_instruction,
      $.arg_instruction,
      $.onbuild_instruction,
      $.stopsignal_instruction,
      $.healthcheck_instruction,
      $.shell_instruction,
    ),

    // FROM [--platform=…] image [AS name]
    from_instruction: $ => instruction($, 'from', optional(seq(
      $._s,
      field('image', $.image_spec),
      optional(seq($._s, alias($._kw_as, 'AS'), $._s, field('as', $.stage_name))),
      repeat(seq($._s, $._extra_word)),
    ))),

    run_instruction: $ => seq(
      instruction($, 'run', optional(seq($._s, $._command))),
      repeat($.heredoc_block),
    ),

    cmd_instruction: $ => instruction($, 'cmd', optional(seq($._s, $._command))),
    entrypoint_instruction: $ => instruction($, 'entrypoint', optional(seq($._s, $._command))),
    shell_instruction: $ => instruction($, 'shell', optional(seq($._s, $._command))),

    label_instruction: $ => instruction($, 'label', optional(seq($._s, $._pairs))),
    env_instruction: $ => instruction($, 'env', optional(seq($._s, $._pairs))),

    maintainer_instruction: $ => instruction($, 'maintainer',
      optional(seq($._s, field('name', alias($.shell_fragment, $.text))))),

    expose_instruction: $ => instruction($, 'expose', optional(seq(
      $._s, sep1($.expose_port, $._s),
    ))),

    add_instruction: $ => seq(
      instruction($, 'add', optional(seq($._s, $._sources))),
      repeat($.heredoc_block),
    ),

    copy_instruction: $ => seq(
      instruction($, 'copy', optional(seq($._s, $._sources))),
      repeat($.heredoc_block),
    ),

    volume_instruction: $ => instruction($, 'volume', optional(seq(
      $._s, choice($.json_array, sep1($.path, $._s)),
    ))),

    // USER user[:group] (BuildKit keeps `USER :group` too; the build rejects it)
    user_instruction: $ => instruction($, 'user', optional(seq(
      $._s,
      choice(
        seq(field('user', $.user_name), optional($._user_group)),
        $._user_group,
      ),
      repeat(seq($._s, $._extra_word)),
    ))),

    _user_group: $ => seq(alias($._colon, ':'), optional(field('group', $.group_name))),

    // WORKDIR takes the rest of the line, blanks included, as one path.
    workdir_instruction: $ => instruction($, 'workdir', optional(seq(
      $._s, field('path', alias($._legacy_value, $.path)),
    ))),

    arg_instruction: $ => instruction($, 'arg', optional(seq(
      $._s, sep1($.arg_declaration, $._s),
    ))),

    // ONBUILD's argument is a whole instruction, its end included.
    onbuild_instruction: $ => seq(
      alias($._kw_onbuild, 'ONBUILD'),
      flags($),
      choice(
        $._eol,
        seq($._s, field('instruction', $._instruction)),
      ),
    ),

    stopsignal_instruction: $ => instruction($, 'stopsignal', optional(seq(
      $._s, field('signal', $.signal), repeat(seq($._s, $._extra_word)),
    ))),

    healthcheck_instruction: $ => instruction($, 'healthcheck', optional(seq(
      $._s,
      choice(
        // BuildKit's parser keeps words after NONE; the build rejects them.
        seq(alias($._kw_none, 'NONE'),
          optional(seq($._s, field('argument', alias($.shell_fragment, $.text))))),
        seq(alias($._kw_cmd_type, 'CMD'), optional(seq($._s, $._command))),
        // Any other type: BuildKit's parser keeps it (the build rejects it).
        seq(field('type', alias($._word, $.healthcheck_type)),
          optional(seq($._s, field('argument', alias($.shell_fragment, $.text))))),
      ),
    ))),

    // ---- flags ------------------------------------------------------------


    flag: $ => choice(
      seq(
        field('name', $.flag_name),
        optional(seq(alias($._eq, '='), optional(field('value', $.flag_value)))),
      ),
      seq(
        field('name', alias($._mount_flag_name, $.flag_name)),
        optional(seq(alias($._eq, '='), optional(field('value', $.mount)))),
      ),
    ),

    flag_value: $ => repeat1($._word_part),

    // --mount=type=cache,target=/root/.cache,sharing=locked
    // Empty fields and keys are kept: BuildKit's parser does not check them.
    mount: $ => choice(
      seq($.mount_param, repeat(seq(alias($._comma, ','), optional($.mount_param)))),
      repeat1(seq(alias($._comma, ','), optional($.mount_param))),
    ),

    mount_param: $ => choice(
      seq(
        field('key', alias(repeat1($._param_key_part), $.mount_key)),
        optional($._mount_value),
      ),
      $._mount_value,
    ),

    _mount_value: $ => seq(
      alias($._eq, '='),
      optional(field('value', alias(repeat1($._param_value_part), $.mount_value))),
    ),

    _param_key_part: $ => choice($._param_key_chunk, $.double_quoted_string, $.single_quoted_string, $.expansion),
    _param_value_part: $ => choice($._param_value_chunk, $.double_quoted_string, $.single_quoted_string, $.expansion),

    // ---- commands (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD) ----------

    _command: $ => choice($.json_array, $.shell_command),

    shell_command: $ => repeat1(choice($.shell_fragment, $.heredoc_marker)),

    json_array: $ => seq(
      alias($._json_open, '['),
      optional($._s),
      optional(seq(
        $.json_string,
        repeat(seq(optional($._s), alias($._comma, ','), optional($._s), $.json_string)),
        optional($._s),
      )),
      alias($._json_close, ']'),
    ),

    json_string: $ => seq(
      alias($._dq_open, '"'),
      repeat($._json_chunk),
      alias($._dq_close, '"'),
    ),

    heredoc_block: $ => seq(
      optional(field('body', $.heredoc_content)),
      field('end', $.heredoc_end),
    ),

    // ---- ENV, LABEL, ARG --------------------------------------------------

    _pairs: $ => choice(
      sep1($.env_pair, $._s),
      alias($._legacy_pair, $.env_pair),
    ),

    env_pair: $ => seq(
      field('name', alias($._pair_key, $.pair_name)),
      optional(seq(alias($._eq, '='), optional(field('value', $.pair_value)))),
    ),

    // Legacy `ENV name value with spaces`: the value is the rest of the line.
    _legacy_pair: $ => seq(
      field('name', alias($._legacy_key, $.pair_name)),
      optional(seq($._s, field('value', alias($._legacy_value, $.pair_value)))),
    ),

    _legacy_value: $ => seq($._word_part, repeat(choice($._word_part, $._ws))),

    pair_value: $ => repeat1($._word_part),

    arg_declaration: $ => seq(
      field('name', alias($._pair_key, $.arg_name)),
      optional(seq(alias($._eq, '='), optional(field('default', $.arg_default)))),
    ),

    arg_default: $ => repeat1($._word_part),

    // ---- words ------------------------------------------------------------

    _sources: $ => choice(
      $.json_array,
      sep1(choice($.path, $.heredoc_marker), $._s),
    ),

    image_spec: $ => repeat1($._word_part),
    stage_name: $ => repeat1($._word_part),
    path: $ => repeat1($._word_part),
    expose_port: $ => repeat1($._word_part),
    signal: $ => repeat1($._word_part),
    user_name: $ => repeat1(choice($._user_chunk, $.double_quoted_string, $.single_quoted_string, $.expansion)),
    group_name: $ => repeat1($._word_part),
    _extra_word: $ => alias($._word, $.word),
    _word: $ => repeat1($._word_part),

    _word_part: $ => choice(
      $._chunk,
      $.double_quoted_string,
      $.single_quoted_string,
      $.expansion,
    ),

    // Closing quotes and braces are optional: an unterminated quote runs to
    // the end of the line, as in BuildKit's word splitting.
    double_quoted_string: $ => prec.right(seq(
      alias($._dq_open, '"'),
      repeat(choice($._dq_chunk, $.expansion)),
      optional(alias($._dq_close, '"')),
    )),

    single_quoted_string: $ => prec.right(seq(
      alias($._sq_open, '\''),
      repeat($._sq_chunk),
      optional(alias($._sq_close, '\'')),
    )),

    // $NAME, ${NAME}, ${NAME:-default}, ${NAME#pattern} …
    expansion: $ => choice(
      seq(alias($._dollar, '$'), field('name', $.variable_name)),
      prec.right(seq(
        alias($._dollar_brace, '${'),
        field('name', $.variable_name),
        optional(seq(
          field('operator', $.expansion_operator),
          optional(field('argument', $.expansion_argument)),
        )),
        optional(alias($._rbrace, '}')),
      )),
    ),

    expansion_argument: $ => prec.right(repeat1(choice(
      $._brace_chunk,
      $.double_quoted_string,
      $.single_quoted_string,
      $.expansion,
    ))),

    _s: $ => repeat1($._ws),
  },
});

/**
 * An instruction: keyword, optional flags, the given arguments, end of line.
 *
 * @param {GrammarSymbols<string>} $
 * @param {string} kw lower-case keyword
 * @param {RuleOrLiteral} args
 * @returns {SeqRule}
 */
function instruction($, kw, args) {
  return seq(
    alias($['_kw_' + kw], kw.toUpperCase()),
    flags($),
    args,
    $._eol,
  );
}

/**
 * Flags come first; a word `--` ends them (BuildKit drops it).
 *
 * @param {GrammarSymbols<string>} $
 * @returns {SeqRule}
 */
function flags($) {
  return seq(
    repeat(seq($._s, $.flag)),
    optional(seq($._s, $._flag_end)),
  );
}

/**
 * One or more `rule`, separated by `separator`.
 *
 * @param {RuleOrLiteral} rule
 * @param {RuleOrLiteral} separator
 * @returns {SeqRule}
 */
function sep1(rule, separator) {
  return seq(rule, repeat(seq(separator, rule)));
}
