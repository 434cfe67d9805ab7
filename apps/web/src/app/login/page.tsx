import { Suspense } from "react";
import type { Metadata } from "next";
import { LoginForm } from "@/auth/LoginForm";
import { Logo } from "@/ui/Logo";

export const metadata: Metadata = { title: "Sign in" };

export default function LoginPage() {
  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-card__brand">
          <Logo />
          <p>Power-grid defect datasets</p>
        </div>
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
