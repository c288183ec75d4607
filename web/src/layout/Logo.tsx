/** The bar-chart mark next to the product name. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1677ff" />
      <rect x="7" y="16" width="4" height="9" rx="1" fill="#fff" />
      <rect x="14" y="10" width="4" height="15" rx="1" fill="#fff" />
      <rect x="21" y="6" width="4" height="19" rx="1" fill="#fff" />
    </svg>
  );
}
