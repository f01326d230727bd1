import { z } from '@hono/zod-openapi';
import { textField } from '../../../platform/request-fields.js';
import { AmountSchema, IdSchema, LedgerCodeSchema } from '../../routes/schemas.js';
import { PROPOSAL_KINDS, PROPOSAL_STATES, VOTE_MODES } from '../domain/proposal-kinds.js';

/** The longest a proposal may stay open: 30 days. */
export const MAX_VOTING_SECONDS = 2_592_000;
/** The shortest voting period: a minute. */
export const MIN_VOTING_SECONDS = 60;

const FieldElementSchema = z
  .string({ error: 'must be a decimal string' })
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer without sign or leading zeros')
  .openapi({ example: '1234567890123456789' });

/** Whole AIA_GOV, at most 2^64 - 1 (the circuit's weight range). */
const WholeAiaGovSchema = z
  .string({ error: 'must be a string of whole AIA_GOV' })
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'must be whole AIA_GOV as decimal digits, for example "1000"')
  .refine((text) => BigInt(text) < 2n ** 64n, 'must be below 2^64')
  .openapi({ example: '1000' });

export const VoterParamsSchema = z.object({
  account_id: IdSchema.openapi({ param: { name: 'account_id', in: 'path' } }),
});

export const RegisterVoterSchema = z
  .strictObject({
    commitment: FieldElementSchema.openapi({
      description:
        "The voter's identity Poseidon(secret), computed by the voter; the secret stays with them. It carries no weight: each snapshot's leaf weighs the account's stake when the proposal opens",
    }),
  })
  .openapi('VoterRegistration');

export const VoterSchema = z
  .object({
    account_id: IdSchema,
    commitment: z.string(),
    registration_id: z.string(),
    registered_at: z.string(),
  })
  .openapi('Voter');

export const ProposalActionSchema = z
  .strictObject({
    to_account_id: IdSchema.optional(),
    amount: AmountSchema.optional(),
    ledger: LedgerCodeSchema.optional(),
    name: textField({ min: 1, max: 100 }).optional(),
    value: textField({ max: 1000 }).optional(),
  })
  .openapi('ProposalAction', {
    description:
      'treasury_transfer: to_account_id, amount, ledger; parameter_change: name, value; text: absent',
  });

export const NewProposalSchema = z
  .strictObject({
    proposer_account_id: IdSchema.openapi({
      description: 'An AIA_GOV account the caller owns, with GOVERNANCE_PROPOSAL_THRESHOLD staked',
    }),
    title: textField({ min: 1, max: 200 }),
    body: textField({ max: 20_000 }),
    kind: z.enum(PROPOSAL_KINDS, { error: `must be one of ${PROPOSAL_KINDS.join(', ')}` }),
    action: ProposalActionSchema.optional(),
    voting_seconds: z
      .int({ error: 'must be a whole number of seconds' })
      .min(MIN_VOTING_SECONDS, `must be at least ${MIN_VOTING_SECONDS}`)
      .max(MAX_VOTING_SECONDS, `must be at most ${MAX_VOTING_SECONDS} (30 days)`),
    quorum: WholeAiaGovSchema.openapi({
      description: 'Whole AIA_GOV of counted weight (abstentions included) the vote needs',
    }),
    modes: z
      .array(z.enum(VOTE_MODES, { error: 'must be private or signed' }))
      .min(1, 'must name at least one mode')
      .max(VOTE_MODES.length)
      .refine((modes) => new Set(modes).size === modes.length, 'must not repeat a mode'),
  })
  .openapi('NewProposal');

export const TallySchema = z
  .object({
    for: z.string(),
    against: z.string(),
    abstain: z.string(),
    total: z.string(),
    quorum_reached: z.boolean(),
  })
  .openapi('Tally');

export const ProposalSchema = z
  .object({
    id: IdSchema,
    proposal_field: z.string().openapi({ description: 'The id as the vote proof binds it' }),
    proposer_account_id: IdSchema,
    title: z.string(),
    body: z.string(),
    kind: z.enum(PROPOSAL_KINDS),
    action: z.record(z.string(), z.string()).nullable(),
    quorum: z.string(),
    modes: z.array(z.enum(VOTE_MODES)),
    state: z.enum(PROPOSAL_STATES),
    voided_reason: z.string().optional(),
    root: z.string(),
    size: z.int(),
    opened_at: z.string(),
    closes_at: z.string(),
    tally: TallySchema.optional(),
    executes_at: z.string().optional(),
    executed_at: z.string().optional(),
    execution_transfer_id: IdSchema.optional(),
    execution_refusal: z.string().optional(),
  })
  .openapi('Proposal');

export const SnapshotSchema = z
  .object({
    root: z.string(),
    size: z.int(),
    leaves: z
      .array(z.string())
      .openapi({ description: 'Poseidon(identity, weight), in tree order' }),
    leaf_weights: z.array(z.string().nullable()).openapi({
      description:
        "Each leaf's weight, whole AIA_GOV staked at the opening (null in snapshots taken before leaves were bound to stake)",
    }),
  })
  .openapi('Snapshot');

export const VoteSchema = z
  .strictObject({
    mode: z.enum(VOTE_MODES, { error: 'must be private or signed' }),
    choice: z.enum(['for', 'against', 'abstain'], { error: 'must be for, against or abstain' }),
    proof: z.unknown().optional().openapi({ description: 'private: the Groth16 proof' }),
    public_signals: z
      .unknown()
      .optional()
      .openapi({ description: 'private: [root, proposalId, nullifier, choice, tier]' }),
    account_id: IdSchema.optional().openapi({ description: 'signed: the voting AIA_GOV account' }),
    ownership: z.strictObject({ nullifier: z.unknown(), proof: z.unknown() }).optional().openapi({
      description:
        "signed, from an account with a leaf on a proposal that also takes private votes: the leaf's nullifier on this proposal and a Groth16 proof (the ownership circuit) that it belongs to the account's registered identity; the secret never leaves the voter",
    }),
  })
  .openapi('Vote');

/** A private vote sent without a token: the proof is the credential (`POST /governance/private-votes`). */
export const AnonymousVoteSchema = z
  .strictObject({
    proposal_id: IdSchema,
    choice: z.enum(['for', 'against', 'abstain'], { error: 'must be for, against or abstain' }),
    proof: z.unknown().openapi({ description: 'the Groth16 proof' }),
    public_signals: z
      .unknown()
      .openapi({ description: '[root, proposalId, nullifier, choice, tier]' }),
  })
  .openapi('AnonymousVote');

export const CountedVoteSchema = z
  .object({
    id: z.string(),
    proposal_id: IdSchema,
    mode: z.enum(VOTE_MODES),
    choice: z.string(),
    weight: z.string(),
    nullifier: z.string().optional(),
  })
  .openapi('CountedVote');

export const ParameterSchema = z
  .object({ name: z.string(), value: z.unknown(), proposal_id: IdSchema, set_at: z.string() })
  .openapi('GovernanceParameter');
