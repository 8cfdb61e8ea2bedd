/** Every TypeORM entity of the controller; each module adds its own here. */
export const entities: Function[] = [];
