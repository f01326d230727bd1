-- Retrying elsewhere: a child that failed may be replaced by a child for the same subtask with
-- another agent. `subtask` is the plan's subtask a child works on (its position for the plan's
-- own children); `replaced_by` names the child that took a failed one's place, so combining
-- reads only the latest child of each subtask and the tree still shows every attempt.
alter table task_delegations add column subtask integer check (subtask >= 0);
update task_delegations set subtask = position;
alter table task_delegations alter column subtask set not null;
alter table task_delegations add column replaced_by text references a2a_tasks (id);
