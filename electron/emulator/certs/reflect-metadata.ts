// @peculiar/x509 uses tsyringe, which refuses to load without the Reflect metadata API
// (reflect-metadata). tsyringe only calls getMetadata, getOwnMetadata and defineMetadata, so this
// installs exactly those, backed by a WeakMap, and only when nothing else has installed them.
// Replace with `import 'reflect-metadata'` if that package is ever added to the project.
type Key = string | symbol;
type Bag = Map<Key | undefined, Map<unknown, unknown>>;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object, property?: Key) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: Key) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: Key) => void;
}

const reflect = Reflect as unknown as ReflectMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<object, Bag>();
  const own = (key: unknown, target: object, property?: Key) => store.get(target)?.get(property)?.get(key);
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target, property) => {
    for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      const value = own(key, o, property);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target, property) => {
    let bag = store.get(target);
    if (bag === undefined) store.set(target, (bag = new Map()));
    let entries = bag.get(property);
    if (entries === undefined) bag.set(property, (entries = new Map()));
    entries.set(key, value);
  };
}

export {};
